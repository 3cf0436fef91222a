using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>Who asked for a backup; it appears in logs and in the run history.</summary>
internal enum BackupTrigger
{
    Button,
    Command,
    Schedule,
}

/// <summary>A request for the worker: every device (<see cref="Mac"/> null) or one device.</summary>
internal sealed record BackupRequest(Mac? Mac, BackupTrigger Trigger)
{
    public static BackupRequest All(BackupTrigger trigger) => new(null, trigger);

    public static BackupRequest One(Mac mac, BackupTrigger trigger) => new(mac, trigger);
}
