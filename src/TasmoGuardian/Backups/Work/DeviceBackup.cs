using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Repair;

namespace TasmoGuardian.Backups.Work;

/// <summary>
/// One device's backup, start to end, in the two parts the pipeline runs: <see cref="PrepareAsync"/> decides (the
/// policy) and downloads through the device's kind; <see cref="CompleteAsync"/> writes the file, records it with the
/// device's counts in one transaction, and prunes; or records why it failed. Failures are values, not exceptions.
/// </summary>
internal sealed class DeviceBackup
{
    private readonly DeviceRegistry _registry;
    private readonly BackupStore _store;
    private readonly BackupFiles _files;
    private readonly KindCatalog _kinds;
    private readonly DeviceCredentials _credentials;
    private readonly RetentionHolds _holds;
    private readonly BackupStorage _storage;
    private readonly ChangeDetector _changes;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceBackup> _logger;

    public DeviceBackup(
        DeviceRegistry registry,
        BackupStore store,
        BackupFiles files,
        KindCatalog kinds,
        DeviceCredentials credentials,
        RetentionHolds holds,
        BackupStorage storage,
        ChangeDetector changes,
        GuardianOptions options,
        TimeProvider time,
        ILogger<DeviceBackup> logger)
    {
        _registry = registry;
        _store = store;
        _files = files;
        _kinds = kinds;
        _credentials = credentials;
        _holds = holds;
        _storage = storage;
        _changes = changes;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The part that talks to the device. Only cancellation escapes; every failure comes back as a value.</summary>
    public async Task<PreparedBackup> PrepareAsync(QueuedBackup item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var started = _time.GetTimestamp();
        var attempt = _time.GetUtcNow();
        if (_registry.Find(item.Mac) is not { } device)
        {
            return new PreparedBackup.Failed(new Device { Mac = item.Mac, Name = item.Mac.ToString() }, attempt, started, new(FailureKind.UnknownDevice, "the device is not known"));
        }

        switch (BackupPolicy.Decide(item, device, _options.BackupMinHours))
        {
            case BackupVerdict.Skip:
                return new PreparedBackup.Skipped(device, attempt, started);
            case BackupVerdict.Offline:
                return new PreparedBackup.Failed(device, attempt, started, new(FailureKind.Offline, "the device is offline (its MQTT LWT says Offline)"));
        }

        if (_credentials.For(device) is not { } access)
        {
            return new PreparedBackup.Failed(device, attempt, started, new(FailureKind.NoAddress, "no IP address is known for the device yet"));
        }

        try
        {
            return new PreparedBackup.Downloaded(device, attempt, started, await _kinds.For(device.Type).BackupAsync(device, access, cancellationToken));
        }
        catch (DeviceException ex)
        {
            return new PreparedBackup.Failed(device, attempt, started, ex.Failure);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            BackupLog.Unexpected(_logger, ex, device.Name);
            return new PreparedBackup.Failed(device, attempt, started, new(FailureKind.Unreachable, $"unexpected error: {ex.Message}"));
        }
    }

    /// <summary>The local part. Not cancellable: once a file is in place its row must follow, or a stop would split them.</summary>
    public Task<BackupOutcome> CompleteAsync(PreparedBackup prepared) => CompleteAsync(prepared, preRestore: false);

    /// <param name="preRestore">
    /// True for a restore's pre-restore backup. Retention waits for the next ordinary backup, so a restore never prunes
    /// the backup it is putting back (with keep_backups 1 it would, every time). And it always keeps a file of its own,
    /// also with store_unchanged off: it is how the restore is undone, and the restore records it by its own row.
    /// </param>
    public async Task<BackupOutcome> CompleteAsync(PreparedBackup prepared, bool preRestore)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var outcome = prepared switch
        {
            PreparedBackup.Downloaded downloaded => await SaveAsync(downloaded, preRestore),
            PreparedBackup.Failed failed => await FailAsync(failed.Device, failed.Failure),
            _ => BackupOutcome.Skipped(prepared.Device),
        };
        Log(outcome, prepared.Started);
        return outcome;
    }

    /// <summary>The pipeline's second stage: a backup is written and recorded; work finished in the first stage passes through.</summary>
    public async Task<WorkOutcome> CompleteWorkAsync(PreparedBackup prepared) =>
        prepared is PreparedBackup.Finished finished ? finished.Outcome : await CompleteAsync(prepared);

    private async Task<BackupOutcome> SaveAsync(PreparedBackup.Downloaded prepared, bool preRestore)
    {
        var device = prepared.Device;
        var download = prepared.Backup;
        var version = download.Version ?? device.Version;
        var (comparison, previous) = await _changes.CompareAsync(device, download, CancellationToken.None);
        LogComparison(device, comparison);
        var downloadedAt = _time.GetTimestamp();

        // After a firmware update the same configuration is kept once more, so the newest file is always in the format
        // of the firmware the device runs (its name and row tell that version).
        if (!preRestore && !_options.StoreUnchanged && comparison.Changed == false && previous is not null && previous.Version == version)
        {
            return await KeepPreviousAsync(prepared, previous, comparison);
        }

        SavedBackup saved;
        try
        {
            saved = await _files.SaveAsync(device, download.Content, download.Files, download.Extension, version, prepared.Attempt, CancellationToken.None);
        }
        catch (DeviceException ex)
        {
            return await FailAsync(device, ex.Failure);
        }

        var writtenAt = _time.GetTimestamp();
        try
        {
            var record = new BackupRecord(0, device.Id, saved.RelativePath, saved.Size, saved.Sha256, version, prepared.Attempt) { Platform = download.Platform, FilesFileName = saved.FilesRelativePath };
            var id = await _registry.RecordBackupAsync(device.Mac, record, prepared.Attempt, comparison, CancellationToken.None);
            saved = saved with { RecordId = id, Note = download.Note };
        }
        catch (SqliteException ex)
        {
            _files.Delete(saved.RelativePath);
            if (saved.FilesRelativePath is { } filesFile)
            {
                _files.Delete(filesFile);
            }

            return await FailAsync(device, new DeviceFailure(FailureKind.WriteFailed, $"cannot record the backup in the database: {ex.Message}"));
        }

        var recordedAt = _time.GetTimestamp();
        if (download.Platform is { } platform && platform != device.Platform)
        {
            // The file knows the chip better than any announcement: Home Assistant shows it, a restore checks it.
            await LearnPlatformAsync(device, platform);
        }

        if (!preRestore)
        {
            await PruneAsync(device);
        }

        BackupLog.Phases(_logger, device.Name, Ms(prepared.Started, downloadedAt), Ms(downloadedAt, writtenAt), Ms(writtenAt, recordedAt), Ms(recordedAt, _time.GetTimestamp()));
        return BackupOutcome.Succeeded(_registry.Find(device.Mac) ?? device, saved) with { Comparison = comparison };
    }

    /// <summary>
    /// store_unchanged off and nothing changed: no file and no row, but the device's last backup and result move on,
    /// recorded on the stored backup that holds this configuration, so neither the skip rule nor the stale problem sees
    /// a device that was not backed up.
    /// </summary>
    private async Task<BackupOutcome> KeepPreviousAsync(PreparedBackup.Downloaded prepared, BackupRecord previous, BackupComparison comparison)
    {
        var device = prepared.Device;
        try
        {
            await _registry.RecordUnchangedAsync(device.Mac, previous.Id, prepared.Attempt, comparison, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            return await FailAsync(device, new DeviceFailure(FailureKind.WriteFailed, $"cannot record the backup in the database: {ex.Message}"));
        }

        if (prepared.Backup.Platform is { } platform && platform != device.Platform)
        {
            await LearnPlatformAsync(device, platform);
        }

        BackupLog.Unchanged(_logger, device.Name, previous.FileName);
        var kept = new SavedBackup(previous.FileName, previous.Size, previous.Sha256)
        {
            FilesRelativePath = previous.FilesFileName,
            RecordId = previous.Id,
            Note = prepared.Backup.Note,
            IsNew = false,
        };
        return BackupOutcome.Succeeded(_registry.Find(device.Mac) ?? device, kept) with { Comparison = comparison };
    }

    private void LogComparison(Device device, BackupComparison comparison)
    {
        if (comparison.Changed is null)
        {
            BackupLog.ChangesUnknown(_logger, device.Name, comparison.Unknown ?? "-");
        }
        else if (comparison.Changed == true)
        {
            BackupLog.Changed(_logger, device.Name, comparison.ComparedWith ?? "-", string.Join(", ", comparison.Changes) + (comparison.More > 0 ? $" and {comparison.More} more" : string.Empty));
        }
    }

    private async Task<BackupOutcome> FailAsync(Device device, DeviceFailure failure)
    {
        try
        {
            await _registry.RecordFailureAsync(device.Mac, failure.Reason, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            // Home Assistant shows the failure anyway (the registry keeps it in memory); only a restart forgets it.
            BackupLog.FailureNotStored(_logger, device.Name, ex.Message);
        }

        return BackupOutcome.Failed(_registry.Find(device.Mac) ?? device, failure);
    }

    /// <summary>
    /// keep_backups: the oldest beyond the limit go. Rows first, in one transaction: if the database refuses, nothing
    /// is lost and the next backup tries again (the backup just saved stays a success). A crash before the files are
    /// deleted leaves files without rows, which the start-up check records again.
    /// </summary>
    private async Task PruneAsync(Device device)
    {
        if (_options.KeepBackups == 0)
        {
            return;
        }

        // The rows of files that are away would be pruned without their files: history lost for nothing.
        if (_storage.IsAway)
        {
            BackupLog.PruneWaits(_logger, device.Name);
            return;
        }

        try
        {
            var extra = (await _store.ListAsync(device.Id, CancellationToken.None)).Skip(_options.KeepBackups).Where(r => !_holds.IsHeld(r.Id)).ToList();
            if (extra.Count == 0)
            {
                return;
            }

            await _registry.ForgetBackupsAsync(device.Mac, [.. extra.Select(r => r.Id)], CancellationToken.None);
            foreach (var row in extra)
            {
                _files.DeleteQuietly(row.FileName);
                if (row.FilesFileName is { } filesFile)
                {
                    _files.DeleteQuietly(filesFile);
                }
            }

            BackupLog.Pruned(_logger, extra.Count, device.Name, _options.KeepBackups);
        }
        catch (SqliteException ex)
        {
            BackupLog.PruneFailed(_logger, device.Name, ex.Message);
        }
    }

    private async Task LearnPlatformAsync(Device device, string platform)
    {
        try
        {
            await _registry.ApplyAsync(new DeviceObservation(device.Mac, device.Type) { Platform = platform }, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            // Only the chip shown in Home Assistant waits for the next backup; the backup's row has it.
            BackupLog.PlatformNotStored(_logger, device.Name, ex.Message);
        }
    }

    private double Ms(long from, long to) => _time.GetElapsedTime(from, to).TotalMilliseconds;

    private void Log(BackupOutcome outcome, long started)
    {
        var device = outcome.Device;
        BackupLog.Operation(
            _logger,
            "backup",
            device.Mac.ToString(),
            device.Name,
            device.Address ?? "-",
            outcome.File?.RelativePath ?? "-",
            outcome.File?.Size ?? 0,
            outcome.Kind switch
            {
                BackupOutcomeKind.Succeeded => "success",
                BackupOutcomeKind.Skipped => "skipped",
                _ => "failed",
            },
            (long)_time.GetElapsedTime(started).TotalMilliseconds,
            outcome.Failure?.Reason ?? "-");
    }
}
