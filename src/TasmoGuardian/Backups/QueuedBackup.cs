using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>A device waiting in the worker's queue; a later request for it is merged here instead of queued again.</summary>
internal sealed class QueuedBackup(Mac mac)
{
    public Mac Mac { get; } = mac;

    /// <summary>Someone asked for this device alone: it is never skipped.</summary>
    public bool Force { get; set; }

    /// <summary>The backup-all this device counts towards, if any.</summary>
    public BackupRun? Run { get; set; }
}
