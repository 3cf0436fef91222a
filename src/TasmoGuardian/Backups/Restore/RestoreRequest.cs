using TasmoGuardian.Devices;
using TasmoGuardian.Backups.Work;

namespace TasmoGuardian.Backups.Restore;

/// <summary>
/// A request to put a stored backup of <see cref="Source"/> back: onto the device itself, or onto <see cref="Target"/>
/// (a replacement of the same type). <see cref="BackupFile"/> is a stored file name ("folder/file" or the file alone);
/// null means the newest. <see cref="Force"/> allows a backup made on newer firmware than the device runs.
/// </summary>
internal sealed record RestoreRequest(Mac Source, string? BackupFile, Mac? Target, bool Force, BackupTrigger Trigger)
{
    public Mac TargetMac => Target ?? Source;
}
