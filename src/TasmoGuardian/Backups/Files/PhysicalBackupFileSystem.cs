using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups.Files;

internal sealed class PhysicalBackupFileSystem : IBackupFileSystem
{
    public Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Backups are kilobytes: a plain synchronous write costs less than the thread hops of asynchronous file I/O.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly.FileMode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content.Span);

        // On to the disk before the rename makes it visible: a power cut must not leave a named, empty file.
        stream.Flush(flushToDisk: true);
        return Task.CompletedTask;
    }

    public void Rename(string from, string to)
    {
        File.Move(from, to, overwrite: false);
        OwnerOnly.SyncFolder(Path.GetDirectoryName(to)!);
    }
}
