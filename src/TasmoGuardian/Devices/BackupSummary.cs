namespace TasmoGuardian.Devices;

/// <summary>A device's backup bookkeeping after a change, as the sensors show it.</summary>
internal sealed record BackupSummary(int NoOfBackups, DateTimeOffset? LastBackup, long? LastSize);
