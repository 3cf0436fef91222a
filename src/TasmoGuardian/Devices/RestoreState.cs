namespace TasmoGuardian.Devices;

internal enum RestoreResult
{
    Never,
    Running,
    Success,
    Failed,
}

/// <summary>A device's last restore as the <c>last_restore</c> sensor shows it; the file names are relative to backup_dir.</summary>
internal sealed record RestoreState(RestoreResult Result, string? Reason, string? Backup, string? PreRestoreBackup, DateTimeOffset? Finished)
{
    public static readonly RestoreState Never = new(RestoreResult.Never, null, null, null, null);
}
