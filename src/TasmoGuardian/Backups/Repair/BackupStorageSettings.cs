namespace TasmoGuardian.Backups.Repair;

/// <summary>How often the backups are looked for again while they are away; tests shorten it.</summary>
internal sealed class BackupStorageSettings
{
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromMinutes(1);
}
