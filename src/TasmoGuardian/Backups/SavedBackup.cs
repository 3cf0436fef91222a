namespace TasmoGuardian.Backups;

/// <summary>A file written whole: its name relative to backup_dir ("folder/file"), size and SHA-256.</summary>
internal sealed record SavedBackup(string RelativePath, long Size, string Sha256);
