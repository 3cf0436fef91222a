using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Work;

namespace TasmoGuardian.Backups.Files;

/// <summary>
/// The files under backup_dir: written whole or not at all (a temporary name in the same folder, flushed, then
/// renamed), never outside backup_dir, and found again after a crash.
/// </summary>
internal sealed class BackupFiles
{
    public const string TemporaryPrefix = ".tg-";
    public const string TemporarySuffix = ".tmp";

    private readonly IBackupFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupFiles> _logger;

    public BackupFiles(GuardianOptions options, IBackupFileSystem fileSystem, TimeProvider time, ILogger<BackupFiles> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = Path.GetFullPath(options.BackupDir);
        _fileSystem = fileSystem;
        _time = time;
        _logger = logger;
    }

    public string Root { get; }

    public Task<SavedBackup> SaveAsync(Device device, ReadOnlyMemory<byte> content, string extension, string? version, DateTimeOffset when, CancellationToken cancellationToken) =>
        SaveAsync(device, content, null, extension, version, when, cancellationToken);

    /// <summary>
    /// Writes a backup's main file and, when it has them, its user files under the same stem. The user files take their
    /// final name first, so a main file in place always has its companion; a crash between the two leaves only a
    /// companion without its main file, which the start-up check removes.
    /// </summary>
    public async Task<SavedBackup> SaveAsync(Device device, ReadOnlyMemory<byte> content, byte[]? files, string extension, string? version, DateTimeOffset when, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var folder = BackupFileName.Folder(device.Name, device.Mac);
        var directory = Resolve(folder);
        try
        {
            OwnerOnly.CreateFolder(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceException(new DeviceFailure(FailureKind.WriteFailed, $"cannot create the folder {folder}: {ex.Message}"), ex);
        }

        var temporary = Path.Combine(directory, $"{TemporaryPrefix}{Guid.NewGuid():N}{TemporarySuffix}");
        var temporaryFiles = files is null ? null : Path.Combine(directory, $"{TemporaryPrefix}{Guid.NewGuid():N}{TemporarySuffix}");
        var local = TimeZoneInfo.ConvertTime(when, _time.LocalTimeZone).DateTime;
        try
        {
            await _fileSystem.WriteNewFileAsync(temporary, content, cancellationToken);
            if (temporaryFiles is not null)
            {
                await _fileSystem.WriteNewFileAsync(temporaryFiles, files!, cancellationToken);
            }

            // Two backups of one device within a second would share a name; the later one moves to the next second.
            while (true)
            {
                var name = BackupFileName.File(device.Mac, local, version, extension);
                var filesName = BackupFileName.FilesFile(name);
                var final = Path.Combine(directory, name);
                var finalFiles = Path.Combine(directory, filesName);
                if (!File.Exists(final) && !File.Exists(finalFiles))
                {
                    if (temporaryFiles is not null)
                    {
                        _fileSystem.Rename(temporaryFiles, finalFiles);
                    }

                    _fileSystem.Rename(temporary, final);
                    return new SavedBackup($"{folder}/{name}", content.Length, Convert.ToHexStringLower(SHA256.HashData(content.Span)))
                    {
                        FilesRelativePath = temporaryFiles is null ? null : $"{folder}/{filesName}",
                    };
                }

                local = local.AddSeconds(1);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeletePathQuietly(temporary);
            DeletePathQuietly(temporaryFiles);
            throw new DeviceException(new DeviceFailure(FailureKind.WriteFailed, $"cannot write the backup file: {ex.Message}"), ex);
        }
        catch
        {
            // Cancelled or anything else: nothing half-written stays behind.
            DeletePathQuietly(temporary);
            DeletePathQuietly(temporaryFiles);
            throw;
        }
    }

    /// <summary>The full path of a stored relative name; refuses names that would leave backup_dir.</summary>
    public string Resolve(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        var root = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{relative}' is outside backup_dir.");
        }

        return full;
    }

    public bool Delete(string relative)
    {
        var path = Resolve(relative);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Deletes a stored file; a failure is logged, not thrown (its row is gone already, or goes next).</summary>
    public void DeleteQuietly(string relative)
    {
        try
        {
            Delete(relative);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            BackupLog.CannotDelete(_logger, relative, ex.Message);
        }
    }

    public bool Exists(string relative) => File.Exists(Resolve(relative));

    /// <summary>Why backup_dir itself cannot be used (missing, unreadable), or null when it can be listed.</summary>
    public string? RootProblem()
    {
        if (!Directory.Exists(Root))
        {
            return $"backup_dir {Root} does not exist";
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(Root).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"backup_dir {Root} cannot be read: {ex.Message}";
        }
    }

    /// <summary>Removes temporary files left by a crash or a power cut; run before any backup starts.</summary>
    public int RemoveTemporaryFiles()
    {
        var removed = 0;
        foreach (var folder in Folders())
        {
            foreach (var file in SafeEnumerate(() => Directory.EnumerateFiles(folder, $"{TemporaryPrefix}*{TemporarySuffix}")))
            {
                if (DeletePathQuietly(file))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>
    /// Files this program named, as "folder/file", for the start-up check against the database: main files, and the
    /// user files beside them ("folder/stem.files.zip"), in one walk of backup_dir.
    /// </summary>
    public (List<string> Main, List<string> UserFiles) ListBackupFiles()
    {
        var (main, userFiles) = (new List<string>(), new List<string>());
        foreach (var folder in Folders())
        {
            var ours = false;
            foreach (var file in SafeEnumerate(() => Directory.EnumerateFiles(folder)))
            {
                var name = Path.GetFileName(file);
                var relative = $"{Path.GetFileName(folder)}/{name}";
                if (BackupFileName.Parse(name) is not null)
                {
                    main.Add(relative);
                }
                else if (BackupFileName.IsFilesFile(name))
                {
                    userFiles.Add(relative);
                }
                else
                {
                    continue;
                }

                // Written by a release before backups were owner-only: they hold passwords too.
                OwnerOnly.Tighten(file, OwnerOnly.FileMode);
                ours = true;
            }

            if (ours)
            {
                OwnerOnly.Tighten(folder, OwnerOnly.FolderMode);
            }
        }

        return (main, userFiles);
    }

    private static IEnumerable<string> SafeEnumerate(Func<IEnumerable<string>> list)
    {
        try
        {
            return list().ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private IEnumerable<string> Folders() => Directory.Exists(Root) ? SafeEnumerate(() => Directory.EnumerateDirectories(Root)) : [];

    private bool DeletePathQuietly(string? path)
    {
        try
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BackupLog.CannotDelete(_logger, path!, ex.Message);
        }

        return false;
    }
}
