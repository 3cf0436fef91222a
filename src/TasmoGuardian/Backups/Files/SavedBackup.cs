namespace TasmoGuardian.Backups.Files;

/// <summary>
/// A backup written whole: its main file's name relative to backup_dir ("folder/file"), size and SHA-256, the name of
/// its user files beside it when it has them, and its row's id once recorded.
/// </summary>
internal sealed record SavedBackup(string RelativePath, long Size, string Sha256)
{
    public string? FilesRelativePath { get; init; }

    public long RecordId { get; init; }

    /// <summary>The kind's note on what the backup leaves out (<see cref="Kinds.DownloadedBackup.Note"/>).</summary>
    public string? Note { get; init; }

    /// <summary>
    /// False when the backup found the configuration unchanged and kept no file (store_unchanged off): this is then the
    /// earlier backup that holds the same configuration.
    /// </summary>
    public bool IsNew { get; init; } = true;
}
