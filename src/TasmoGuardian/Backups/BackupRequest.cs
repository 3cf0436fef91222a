using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>A request for the worker: every device (<see cref="Mac"/> null) or one device.</summary>
internal sealed record BackupRequest(Mac? Mac, BackupTrigger Trigger)
{
    public static BackupRequest All(BackupTrigger trigger) => new(null, trigger);

    public static BackupRequest One(Mac mac, BackupTrigger trigger) => new(mac, trigger);

    public bool IsAll => Mac is null;
}
