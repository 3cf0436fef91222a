using TasmoGuardian.Devices;
using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Backups.Work;

/// <summary>Who asked for a backup; it appears in logs and in the run history.</summary>
internal enum BackupTrigger
{
    Button,
    Command,
    Schedule,
}

/// <summary>A request for the worker: every device (<see cref="Mac"/> null), one device, or a restore onto one.</summary>
internal sealed record BackupRequest(Mac? Mac, BackupTrigger Trigger)
{
    /// <summary>Not null: restore, not back up.</summary>
    public RestoreRequest? Restore { get; init; }

    public static BackupRequest All(BackupTrigger trigger) => new(null, trigger);

    public static BackupRequest One(Mac mac, BackupTrigger trigger) => new(mac, trigger);

    public static BackupRequest ForRestore(RestoreRequest restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        return new(restore.TargetMac, restore.Trigger) { Restore = restore };
    }
}
