namespace TasmoGuardian.Backups;

internal sealed class PhysicalBackupFileSystem : IBackupFileSystem
{
    public async Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        });
        await stream.WriteAsync(content, cancellationToken);
        await stream.FlushAsync(cancellationToken);

        // On to the disk before the rename makes it visible: a power cut must not leave a named, empty file.
        stream.Flush(flushToDisk: true);
    }
}
