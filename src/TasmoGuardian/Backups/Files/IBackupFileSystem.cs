namespace TasmoGuardian.Backups.Files;

/// <summary>
/// The few file operations a backup needs, so a test can make the disk fail (full, read-only) where the machine
/// cannot mount a small file system.
/// </summary>
internal interface IBackupFileSystem
{
    /// <summary>Creates a new file (owner-only) with the content, flushed to the disk.</summary>
    Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Gives a written file its final name, durably: the folder is flushed after the rename.</summary>
    void Rename(string from, string to);
}
