using TasmoGuardian.Devices;
using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Backups.Work;

/// <summary>What happens to a device when its turn comes.</summary>
internal enum BackupVerdict
{
    BackUp,

    /// <summary>A backup-all, and the device was backed up recently.</summary>
    Skip,

    /// <summary>A backup-all, and the device's LWT says it is offline: no time-out is waited out.</summary>
    Offline,
}

/// <summary>
/// The rules of backup-all (contract.md, "Backups"). Skip rule: a device whose last successful backup is younger than
/// 90 % of backup_min_hours when the run starts is skipped. Measured at the start of the run, not at the device's turn,
/// and with a 10 % margin, so a daily schedule with the default 24 h backs every device up every night: also when
/// last night's turn came a few seconds later than tonight's, and on the 23-hour night the clocks spring forward.
/// A second press the same day still skips what the first one did. A single-device request never skips.
/// </summary>
internal static class BackupPolicy
{
    public const double SkipFraction = 0.9;

    public static bool ShouldSkip(DateTimeOffset? lastBackup, DateTimeOffset runStarted, int minHours) =>
        minHours > 0 && lastBackup is { } last && runStarted - last < TimeSpan.FromHours(minHours * SkipFraction);

    public static BackupVerdict Decide(QueuedBackup item, Device device, int minHours)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(device);
        if (item.Force || item.Run is not { } run)
        {
            return BackupVerdict.BackUp;
        }

        if (ShouldSkip(device.LastBackup, run.Started, minHours))
        {
            return BackupVerdict.Skip;
        }

        return device.Online == false ? BackupVerdict.Offline : BackupVerdict.BackUp;
    }
}
