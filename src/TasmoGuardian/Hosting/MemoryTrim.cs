namespace TasmoGuardian.Hosting;

/// <summary>
/// Gives memory back after a burst (start-up with hundreds of devices, a backup-all). The GC only collects when code
/// allocates, and this program then sits idle for hours: without a nudge the burst's garbage stays resident, which
/// on a Raspberry Pi is memory another add-on could use. One aggressive, compacting collection a few seconds after
/// the last burst ends returns it to the system.
/// </summary>
internal sealed class MemoryTrim : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    private readonly ITimer _timer;

    public MemoryTrim(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _timer = time.CreateTimer(_ => Collect(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A burst just ended; collect once things have stayed quiet for a moment (later calls push it back).</summary>
    public void AfterBurst() => _timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();

    private void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
