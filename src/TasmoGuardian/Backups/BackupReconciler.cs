using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Scheduling;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups;

/// <summary>
/// Start-up repair after a crash or power cut, before any backup runs: temporary files go, rows whose file is gone go,
/// and finished files that never got their row (the process died between rename and commit) are recorded, with their
/// user files when those are beside them; user files without their main file go. After it, every file has its row and
/// every row its file.
/// </summary>
internal sealed class BackupReconciler
{
    private readonly BackupFiles _files;
    private readonly BackupStore _backups;
    private readonly DeviceStore _devices;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupReconciler> _logger;

    public BackupReconciler(BackupFiles files, BackupStore backups, DeviceStore devices, TimeProvider time, ILogger<BackupReconciler> logger)
    {
        _files = files;
        _backups = backups;
        _devices = devices;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var removed = _files.RemoveTemporaryFiles();
        if (removed > 0)
        {
            BackupLog.TemporaryFilesRemoved(_logger, removed);
        }

        var rows = await _backups.ListAllAsync(cancellationToken);
        var recorded = rows.Select(r => r.FileName).ToHashSet(StringComparer.Ordinal);
        var missing = new List<long>();
        var filesGone = new List<long>();
        foreach (var row in rows)
        {
            if (!ExistsSafely(row.FileName))
            {
                BackupLog.MissingFile(_logger, row.FileName);
                missing.Add(row.Id);
                if (row.FilesFileName is { } lost)
                {
                    _files.DeleteQuietly(lost);
                }
            }
            else if (row.FilesFileName is { } filesFile && !ExistsSafely(filesFile))
            {
                BackupLog.MissingFilesFile(_logger, filesFile);
                filesGone.Add(row.Id);
            }
        }

        var stored = await _devices.LoadAllAsync(cancellationToken);
        var deviceIds = stored.Known.Concat(stored.Unsupported).ToDictionary(d => d.Mac, d => d.Id);
        var (mains, userFiles) = _files.ListBackupFiles();
        var companions = userFiles.ToHashSet(StringComparer.Ordinal);
        var adopted = new List<BackupRecord>();
        foreach (var relative in mains)
        {
            if (recorded.Contains(relative) || BackupFileName.Parse(FileNameOf(relative)) is not { } name)
            {
                continue;
            }

            // Files of devices this database never knew (copied in by hand, another install) are left alone.
            if (!deviceIds.TryGetValue(name.Mac, out var deviceId))
            {
                continue;
            }

            var content = await File.ReadAllBytesAsync(_files.Resolve(relative), cancellationToken);
            var filesFile = BackupFileName.FilesFile(relative);
            adopted.Add(new BackupRecord(0, deviceId, relative, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)),
                name.Version == "unknown" ? null : name.Version, ToUtc(name.LocalTime))
            {
                FilesFileName = companions.Contains(filesFile) ? filesFile : null,
            });
            BackupLog.AdoptedFile(_logger, relative);
        }

        // User files whose main file never took its name (the process died between the two renames) are half a backup.
        var withMain = mains.Select(BackupFileName.FilesFile).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in companions.Where(c => !withMain.Contains(c)))
        {
            if (BackupFileName.ParseFilesFile(FileNameOf(orphan)) is { } owner && deviceIds.ContainsKey(owner.Mac))
            {
                _files.DeleteQuietly(orphan);
                BackupLog.OrphanFilesFileRemoved(_logger, orphan);
            }
        }

        if (missing.Count > 0 || adopted.Count > 0 || filesGone.Count > 0)
        {
            await _backups.ReconcileAsync(missing, adopted, filesGone, cancellationToken);
        }
    }

    private static string FileNameOf(string relative) => relative[(relative.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private bool ExistsSafely(string relative)
    {
        try
        {
            return _files.Exists(relative);
        }
        catch (InvalidOperationException)
        {
            // A row pointing outside backup_dir is not ours to follow.
            return false;
        }
    }

    private DateTimeOffset ToUtc(DateTime local) => WallTime.ToInstant(local, _time.LocalTimeZone).ToUniversalTime();
}
