namespace TasmoGuardian.Storage;

/// <summary>One row of <c>backups</c>. The file name is relative to backup_dir, with '/' between folder and file.</summary>
internal sealed record BackupRecord(long Id, long DeviceId, string FileName, long Size, string Sha256, string? Version, DateTimeOffset Created);
