using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Files;

namespace TasmoGuardian.Backups.Repair;

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
    private readonly BackupStorage _storage;
    private readonly KindCatalog _kinds;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupReconciler> _logger;

    public BackupReconciler(BackupFiles files, BackupStore backups, DeviceStore devices, BackupStorage storage, KindCatalog kinds, TimeProvider time, ILogger<BackupReconciler> logger)
    {
        _files = files;
        _backups = backups;
        _devices = devices;
        _storage = storage;
        _kinds = kinds;
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
        var lost = Missing(rows);

        // The backups are away, not lost: nothing is forgotten, and the hub says why until they are back.
        var away = _storage.AwayReason(rows, lost);
        if (away is not null)
        {
            if (_storage.SetAway(away))
            {
                BackupLog.StorageAway(_logger, away);
            }
        }
        else if (_storage.SetBack())
        {
            BackupLog.StorageBack(_logger, _files.Root);
        }

        var missing = new List<long>();
        var filesGone = new List<long>();
        foreach (var row in rows)
        {
            if (away is not null)
            {
                break;
            }

            if (lost.Contains(row))
            {
                BackupLog.MissingFile(_logger, row.FileName);
                missing.Add(row.Id);
                if (row.FilesFileName is { } lostFiles)
                {
                    _files.DeleteQuietly(lostFiles);
                }
            }
            else if (row.FilesFileName is { } filesFile && !ExistsSafely(filesFile))
            {
                BackupLog.MissingFilesFile(_logger, filesFile);
                filesGone.Add(row.Id);
            }
        }

        var stored = await _devices.LoadAllAsync(cancellationToken);
        var owners = stored.Known.Concat(stored.Unsupported).ToDictionary(d => d.Mac);
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
            if (!owners.TryGetValue(name.Mac, out var owner))
            {
                continue;
            }

            var content = await File.ReadAllBytesAsync(_files.Resolve(relative), cancellationToken);
            var filesFile = BackupFileName.FilesFile(relative);
            adopted.Add(new BackupRecord(0, owner.Id, relative, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)),
                name.Version == "unknown" ? null : name.Version, ToUtc(name.LocalTime))
            {
                // The chip, read from the file itself: without it a later restore onto a replacement would be refused.
                Platform = _kinds.Find(owner.Type)?.PlatformOf(content),
                FilesFileName = companions.Contains(filesFile) ? filesFile : null,
            });
            BackupLog.AdoptedFile(_logger, relative);
        }

        // User files whose main file never took its name (the process died between the two renames) are half a backup.
        var withMain = mains.Select(BackupFileName.FilesFile).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in companions.Where(c => away is null && !withMain.Contains(c)))
        {
            if (BackupFileName.ParseFilesFile(FileNameOf(orphan)) is { } owner && owners.ContainsKey(owner.Mac))
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

    /// <summary>
    /// While the backups are away: looks again, without repairing anything (backups may be running), and clears the
    /// hub's problem once the files are back.
    /// </summary>
    /// <returns>True while they are still away.</returns>
    public async Task<bool> RecheckAsync(CancellationToken cancellationToken)
    {
        var rows = await _backups.ListAllAsync(cancellationToken);
        var away = _storage.AwayReason(rows, Missing(rows));
        if (away is null)
        {
            if (_storage.SetBack())
            {
                BackupLog.StorageBack(_logger, _files.Root);
            }

            return false;
        }

        _storage.SetAway(away);
        return true;
    }

    /// <summary>
    /// The user says the missing files were deleted on purpose: their rows go, and the devices' counts follow. Safe while
    /// backups run: a row is only ever written after its file is in place.
    /// </summary>
    /// <returns>How many backups were forgotten.</returns>
    public async Task<int> ForgetMissingAsync(DeviceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var rows = await _backups.ListAllAsync(cancellationToken);
        var devices = registry.Snapshot().ToDictionary(d => d.Id);
        var forgotten = 0;
        foreach (var device in Missing(rows).GroupBy(r => r.DeviceId))
        {
            foreach (var row in device)
            {
                BackupLog.MissingFile(_logger, row.FileName);
            }

            if (devices.TryGetValue(device.Key, out var owner))
            {
                await registry.ForgetBackupsAsync(owner.Mac, [.. device.Select(r => r.Id)], cancellationToken);
                forgotten += device.Count();
            }
        }

        if (_storage.SetBack())
        {
            BackupLog.StorageBack(_logger, _files.Root);
        }

        return forgotten;
    }

    private static string FileNameOf(string relative) => relative[(relative.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>The rows whose file is not in backup_dir.</summary>
    private List<BackupRecord> Missing(IEnumerable<BackupRecord> rows) => [.. rows.Where(r => !ExistsSafely(r.FileName))];

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
