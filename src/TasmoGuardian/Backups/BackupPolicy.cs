namespace TasmoGuardian.Backups;

/// <summary>The skip rule of backup-all: a device backed up less than backup_min_hours ago is skipped.</summary>
internal static class BackupPolicy
{
    public static bool ShouldSkip(DateTimeOffset? lastBackup, DateTimeOffset now, int minHours) =>
        minHours > 0 && lastBackup is { } last && now - last < TimeSpan.FromHours(minHours);
}
