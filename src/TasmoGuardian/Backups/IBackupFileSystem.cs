namespace TasmoGuardian.Backups;

/// <summary>
/// The few file operations a backup needs, so a test can make the disk fail (full, read-only) where the machine
/// cannot mount a small file system.
/// </summary>
internal interface IBackupFileSystem
{
    Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
