using System.Threading.Channels;

namespace TasmoGuardian.Backups.Work;

/// <summary>
/// The worker's two stages, joined by a bounded channel. The first contacts devices one at a time (ESP web servers
/// and weak Wi-Fi cope badly with more), a restore from start to end; the second writes, records and prunes each
/// backup in queue order, while the first already talks to the next device. The channel holds one result, so at most one device is being completed,
/// one waits, and one is being downloaded.
/// </summary>
internal static class BackupPipeline
{
    /// <param name="next">Waits for the next device; null when the worker is draining and the pipeline should end.</param>
    /// <param name="prepare">The part that talks to the device; cancelled by <paramref name="inFlight"/> only.</param>
    /// <param name="complete">The local part; never cancelled, so a downloaded backup is always written and recorded.</param>
    /// <param name="done">Hears each device's outcome, in order.</param>
    public static async Task RunAsync(
        Func<CancellationToken, Task<QueuedBackup?>> next,
        Func<QueuedBackup, CancellationToken, Task<PreparedBackup?>> prepare,
        Func<PreparedBackup, Task<WorkOutcome>> complete,
        Action<QueuedBackup, WorkOutcome?> done,
        CancellationToken inFlight)
    {
        var handOver = Channel.CreateBounded<(QueuedBackup Item, PreparedBackup? Prepared)>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var downloading = DownloadAsync(next, prepare, handOver.Writer, inFlight);
        await foreach (var (item, prepared) in handOver.Reader.ReadAllAsync(CancellationToken.None))
        {
            done(item, prepared is null ? null : await complete(prepared));
        }

        await downloading;
    }

    private static async Task DownloadAsync(
        Func<CancellationToken, Task<QueuedBackup?>> next,
        Func<QueuedBackup, CancellationToken, Task<PreparedBackup?>> prepare,
        ChannelWriter<(QueuedBackup, PreparedBackup?)> handOver,
        CancellationToken inFlight)
    {
        try
        {
            while (await next(inFlight) is { } item)
            {
                // Null: the download was abandoned (stopping); the item still goes through, so it is marked finished.
                await handOver.WriteAsync((item, await prepare(item, inFlight)), CancellationToken.None);
            }
        }
        finally
        {
            handOver.TryComplete();
        }
    }
}
