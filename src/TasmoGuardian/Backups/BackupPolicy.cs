namespace TasmoGuardian.Backups;

/// <summary>
/// The skip rule of backup-all (contract.md, "Backups"): a device whose last successful backup is younger than 90 %
/// of backup_min_hours when the run starts is skipped. Measured at the start of the run, not at the device's turn,
/// and with a 10 % margin, so a daily schedule with the default 24 h backs every device up every night: also when
/// last night's turn came a few seconds later than tonight's, and on the 23-hour night the clocks spring forward.
/// A second press the same day still skips what the first one did.
/// </summary>
internal static class BackupPolicy
{
    public const double SkipFraction = 0.9;

    public static bool ShouldSkip(DateTimeOffset? lastBackup, DateTimeOffset runStarted, int minHours) =>
        minHours > 0 && lastBackup is { } last && runStarted - last < TimeSpan.FromHours(minHours * SkipFraction);
}
