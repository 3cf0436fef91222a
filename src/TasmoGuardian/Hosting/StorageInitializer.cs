using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups;
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
    private readonly GuardianOptions _options;
    private readonly ILogger<StorageInitializer> _logger;

    public StorageInitializer(Database database, BackupReconciler reconciler, BackupFiles files, DeviceRegistry registry, GuardianOptions options, ILogger<StorageInitializer> logger)
    {
        _database = database;
        _reconciler = reconciler;
        _files = files;
        _registry = registry;
        _options = options;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_database.AdoptSnapshot())
        {
            HostLog.RestoredFromSnapshot(_logger, _database.SnapshotPath);
        }

        var (from, to) = await _database.MigrateAsync(cancellationToken);
        HostLog.DatabaseReady(_logger, _database.FilePath, to, from);
        HostLog.BackupDirectory(_logger, _files.Root);
        await _reconciler.RunAsync(cancellationToken);
        await _registry.LoadAsync(_options.Devices.Select(d => d.Host), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
