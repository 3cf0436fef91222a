using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups.Work;

/// <summary>
/// Compares a fresh download with the device's newest stored backup, through the kind's own knowledge of what is
/// configuration (<see cref="IDeviceKind.Changes"/>). Anything that keeps the comparison from being sure (no earlier
/// backup, its file missing, unreadable or not the file its row records) makes "changed" unknown, never "unchanged":
/// with store_unchanged off, only a sure "unchanged" keeps no file.
/// </summary>
internal sealed class ChangeDetector
{
    private readonly BackupStore _store;
    private readonly BackupFiles _files;
    private readonly KindCatalog _kinds;

    public ChangeDetector(BackupStore store, BackupFiles files, KindCatalog kinds)
    {
        _store = store;
        _files = files;
        _kinds = kinds;
    }

    /// <returns>The comparison, and the stored backup it was made with (null when there was none to read).</returns>
    public async Task<(BackupComparison Comparison, BackupRecord? Previous)> CompareAsync(Device device, DownloadedBackup download, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(download);
        BackupRecord? previous;
        try
        {
            previous = (await _store.ListAsync(device.Id, cancellationToken)).FirstOrDefault();
        }
        catch (SqliteException ex)
        {
            return (BackupComparison.NotKnown($"the previous backup cannot be looked up: {ex.Message}"), null);
        }

        if (previous is null)
        {
            return (BackupComparison.NotKnown("this is the device's first backup"), null);
        }

        var name = previous.FileName;
        byte[] main;
        byte[]? files = null;
        try
        {
            main = await File.ReadAllBytesAsync(_files.Resolve(name), cancellationToken);
            if (previous.FilesFileName is { } filesName)
            {
                files = await File.ReadAllBytesAsync(_files.Resolve(filesName), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (BackupComparison.NotKnown($"the previous backup's file {name} is missing", name), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return (BackupComparison.NotKnown($"the previous backup's file {name} cannot be read: {ex.Message}", name), null);
        }

        if (!Convert.ToHexStringLower(SHA256.HashData(main)).Equals(previous.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return (BackupComparison.NotKnown($"the previous backup's file {name} is not the one recorded (its SHA-256 differs)", name), null);
        }

        try
        {
            var changes = _kinds.For(device.Type).Changes.Compare(new BackupContent(main, files), new BackupContent(download.Content, download.Files));
            return (BackupComparison.Of([.. changes.Select(c => c.Name)], name), previous);
        }
        catch (DeviceException ex)
        {
            return (BackupComparison.NotKnown($"the previous backup {name} cannot be read: {ex.Failure.Reason}", name), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return (BackupComparison.NotKnown($"the previous backup {name} cannot be read: {ex.Message}", name), null);
        }
    }
}
