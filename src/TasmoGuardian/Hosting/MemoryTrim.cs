using Microsoft.Extensions.Hosting;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.HomeAssistant;

namespace TasmoGuardian.Hosting;

/// <summary>
/// Gives memory back after a burst (start-up with hundreds of devices, a backup-all). The GC only collects when code
/// allocates, and this program then sits idle for hours: without a nudge the burst's garbage stays resident, which
/// on a Raspberry Pi is memory another add-on could use. One aggressive, compacting collection a few seconds after
/// the last burst ends returns it to the system.
/// </summary>
internal sealed class MemoryTrim : IHostedService, IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private readonly ITimer _timer;
    private readonly BackupWorker _worker;
    private readonly HomeAssistantPublisher _publisher;

    public MemoryTrim(TimeProvider time, BackupWorker worker, HomeAssistantPublisher publisher)
    {
        ArgumentNullException.ThrowIfNull(time);
        _worker = worker;
        _publisher = publisher;
        _timer = time.CreateTimer(_ => Collect(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _worker.RunFinished += (_, _) => AfterBurst();
        _publisher.PublishedAll += (_, _) => AfterBurst();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _timer.Dispose();

    /// <summary>A burst just ended; collect once things have stayed quiet for a moment (later calls push it back).</summary>
    private void AfterBurst() => _timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    private static void Collect()
    {
        // Pooled SQLite connections keep their page caches and prepared statements (native memory the GC never sees);
        // the next operation opens a connection again in well under a millisecond.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
