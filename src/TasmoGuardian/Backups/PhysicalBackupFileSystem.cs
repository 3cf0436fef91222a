namespace TasmoGuardian.Backups;

internal sealed class PhysicalBackupFileSystem : IBackupFileSystem
{
    public Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Backups are kilobytes: a plain synchronous write costs less than the thread hops of asynchronous file I/O.
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
        stream.Write(content.Span);

        // On to the disk before the rename makes it visible: a power cut must not leave a named, empty file.
        stream.Flush(flushToDisk: true);
        return Task.CompletedTask;
    }
}
