using Microsoft.Extensions.Hosting;
using Microsoft.Data.Sqlite;

namespace TasmoGuardian.Backups.Repair;

/// <summary>
/// While the backups are away (see <see cref="BackupStorage"/>), looks again now and then, so the hub's problem clears
/// by itself once the share is mounted or the folder is back, without a restart.
/// </summary>
internal sealed class BackupStorageWatch : BackgroundService
{
    private readonly BackupStorage _storage;
    private readonly BackupReconciler _reconciler;
    private readonly BackupStorageSettings _settings;
    private readonly TimeProvider _time;

    public BackupStorageWatch(BackupStorage storage, BackupReconciler reconciler, BackupStorageSettings settings, TimeProvider time)
    {
        _storage = storage;
        _reconciler = reconciler;
        _settings = settings;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_settings.RecheckInterval, _time, stoppingToken);
                if (!_storage.IsAway)
                {
                    continue;
                }

                try
                {
                    await _reconciler.RecheckAsync(stoppingToken);
                }
                catch (SqliteException)
                {
                    // The database is busy or away too: the next look will tell.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
