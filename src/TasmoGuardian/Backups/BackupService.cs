using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups;

/// <summary>
/// Backs up one device from start to end: download and verify, write the file, record it with the device's counts in
/// one transaction, apply retention. A failure is recorded with its reason and nothing of it stays on disk.
/// </summary>
internal sealed class BackupService
{
    private readonly DeviceRegistry _registry;
    private readonly BackupStore _store;
    private readonly BackupFiles _files;
    private readonly TasmotaDownloader _tasmota;
    private readonly WledDownloader _wled;
    private readonly DeviceCredentials _credentials;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupService> _logger;

    public BackupService(
        DeviceRegistry registry,
        BackupStore store,
        BackupFiles files,
        TasmotaDownloader tasmota,
        WledDownloader wled,
        DeviceCredentials credentials,
        GuardianOptions options,
        TimeProvider time,
        ILogger<BackupService> logger)
    {
        _registry = registry;
        _store = store;
        _files = files;
        _tasmota = tasmota;
        _wled = wled;
        _credentials = credentials;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Both parts, one after the other.</summary>
    public async Task<BackupOutcome> BackupAsync(Device device, CancellationToken cancellationToken) =>
        await CompleteAsync(await DownloadAsync(device, cancellationToken), cancellationToken);

    /// <summary>The part that talks to the device: download and verify. Failures come back as data, not exceptions.</summary>
    public async Task<PreparedBackup> DownloadAsync(Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var started = _time.GetTimestamp();
        var attempt = _time.GetUtcNow();
        try
        {
            var address = device.Address ?? throw BackupException.Of(BackupFailureKind.NoAddress, "no IP address is known for the device yet");
            IDeviceDownloader downloader = device.Type == DeviceType.Wled ? _wled : _tasmota;
            var download = await downloader.DownloadAsync(new DownloadTarget(address, _credentials.Username, _credentials.PasswordFor(device)), cancellationToken);
            return new PreparedBackup(device, started, attempt, download, null);
        }
        catch (BackupException ex)
        {
            return new PreparedBackup(device, started, attempt, null, ex.Failure);
        }
    }

    /// <summary>The local part: write the file, record it with the device's counts, prune; or record the failure.</summary>
    public async Task<BackupOutcome> CompleteAsync(PreparedBackup prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var device = prepared.Device;
        BackupOutcome outcome;
        try
        {
            if (prepared.Skipped)
            {
                outcome = BackupOutcome.Skipped(device);
            }
            else if (prepared.Download is not { } download)
            {
                throw new BackupException(prepared.Failure!);
            }
            else
            {
                var downloaded = _time.GetTimestamp();
                var version = download.Version ?? device.Version;
                var saved = await _files.SaveAsync(device, download.Content, download.Extension, version, prepared.Attempt, cancellationToken);
                var written = _time.GetTimestamp();
                var summary = await RecordAsync(device, saved, version, prepared.Attempt);
                var recorded = _time.GetTimestamp();
                await _registry.ApplyBackupSummaryAsync(device.Mac, summary, prepared.Attempt, CancellationToken.None);
                await PruneQuietlyAsync(device);
                BackupLog.Phases(_logger, device.Name, Ms(prepared.Started, downloaded), Ms(downloaded, written), Ms(written, recorded), Ms(recorded, _time.GetTimestamp()));
                outcome = new BackupOutcome(_registry.Find(device.Mac) ?? device, BackupOutcomeKind.Succeeded, null, saved);
            }
        }
        catch (BackupException ex)
        {
            try
            {
                await _registry.RecordFailureAsync(device.Mac, ex.Failure.Reason, CancellationToken.None);
            }
            catch (SqliteException storeError)
            {
                // Home Assistant shows the failure anyway (the registry keeps it in memory); only a restart forgets it.
                BackupLog.FailureNotStored(_logger, device.Name, storeError.Message);
            }

            outcome = BackupOutcome.Failed(_registry.Find(device.Mac) ?? device, ex.Failure);
        }

        Log(outcome, prepared.Started);
        return outcome;
    }

    private double Ms(long from, long to) => _time.GetElapsedTime(from, to).TotalMilliseconds;

    private async Task<BackupSummary> RecordAsync(Device device, SavedBackup saved, string? version, DateTimeOffset attempt)
    {
        try
        {
            // Not cancellable: once the file is in place, its row must follow, or a shutdown would split them.
            return await _store.RecordSuccessAsync(new BackupRecord(0, device.Id, saved.RelativePath, saved.Size, saved.Sha256, version, attempt), attempt, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            _files.Delete(saved.RelativePath);
            throw new BackupException(new BackupFailure(BackupFailureKind.WriteFailed, $"cannot record the backup in the database: {ex.Message}"), ex);
        }
    }

    /// <summary>The backup is saved and recorded: a pruning that fails is logged, and the backup stays a success.</summary>
    private async Task PruneQuietlyAsync(Device device)
    {
        try
        {
            await PruneAsync(device);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            BackupLog.PruneFailed(_logger, device.Name, ex.Message);
        }
    }

    private async Task PruneAsync(Device device)
    {
        if (_options.KeepBackups == 0)
        {
            return;
        }

        var rows = await _store.ListAsync(device.Id, CancellationToken.None);
        var extra = rows.Skip(_options.KeepBackups).ToList();
        if (extra.Count == 0)
        {
            return;
        }

        // Rows first, in one transaction: if the database refuses, nothing is lost and the next backup tries again.
        // A crash before the files are deleted leaves files without rows, which the start-up check records again.
        var summary = await _store.DeleteAsync(device.Id, [.. extra.Select(r => r.Id)], CancellationToken.None);
        await _registry.ApplyBackupSummaryAsync(device.Mac, summary, null, CancellationToken.None);
        foreach (var row in extra)
        {
            try
            {
                _files.Delete(row.FileName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                BackupLog.CannotDelete(_logger, row.FileName, ex.Message);
            }
        }

        BackupLog.Pruned(_logger, extra.Count, device.Name, _options.KeepBackups);
    }

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
