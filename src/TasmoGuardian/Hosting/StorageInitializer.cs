using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Repair;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Hosting;

/// <summary>
/// First to start: the database is migrated, files and rows are reconciled after any crash, and the devices are
/// loaded, before anything can publish or back up.
/// </summary>
internal sealed class StorageInitializer : IHostedService
{
    private readonly Database _database;
    private readonly BackupReconciler _reconciler;
    private readonly BackupFiles _files;
    private readonly DeviceRegistry _registry;
    private readonly RestoreStore _restores;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageInitializer> _logger;

    public StorageInitializer(Database database, BackupReconciler reconciler, BackupFiles files, DeviceRegistry registry, RestoreStore restores, GuardianOptions options, TimeProvider time, ILogger<StorageInitializer> logger)
    {
        _database = database;
        _reconciler = reconciler;
        _files = files;
        _registry = registry;
        _restores = restores;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_database.AdoptSnapshot())
        {
            HostLog.RestoredFromSnapshot(_logger, _database.SnapshotPath);
        }

        var (from, to) = await _database.MigrateAsync(cancellationToken);
        if (from > to)
        {
            HostLog.DatabaseNewer(_logger, _database.FilePath, from, to);
        }
        else
        {
            HostLog.DatabaseReady(_logger, _database.FilePath, to, from);
        }

        HostLog.BackupDirectory(_logger, _files.Root);
        await _reconciler.RunAsync(cancellationToken);
        await _registry.LoadAsync(_options.Devices.Select(d => d.Host), cancellationToken);
        await LoadRestoresAsync(cancellationToken);
    }

    /// <summary>A restore the last run never finished ends as failed, saying at which stage; every device shows its last restore.</summary>
    private async Task LoadRestoresAsync(CancellationToken cancellationToken)
    {
        foreach (var cut in await _restores.EndInterruptedAsync(_time.GetUtcNow(), cancellationToken))
        {
            HostLog.RestoreInterrupted(_logger, cut.BackupFileName, cut.Stage);
        }

        var devices = _registry.Snapshot().ToDictionary(d => d.Id);
        foreach (var last in await _restores.LatestPerDeviceAsync(cancellationToken))
        {
            if (devices.TryGetValue(last.DeviceId, out var device))
            {
                // A result a newer version wrote ("partial", say) is not a success this version can vouch for.
                var result = last.Result == "success" ? RestoreResult.Success : RestoreResult.Failed;
                var reason = last.Result is null or "success" or "failed" ? last.Reason : last.Reason ?? $"ended as \"{last.Result}\", recorded by a newer version";
                await _registry.SetRestoreStateAsync(device.Mac, new RestoreState(result, reason, last.BackupFileName, last.PreRestoreFileName, last.Finished), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
