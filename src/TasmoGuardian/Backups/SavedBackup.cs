namespace TasmoGuardian.Backups;

/// <summary>A file written whole: its name relative to backup_dir ("folder/file"), size and SHA-256; its row's id once recorded.</summary>
internal sealed record SavedBackup(string RelativePath, long Size, string Sha256)
{
    public long RecordId { get; init; }
}
