namespace TasmoGuardian.Mqtt;

/// <summary>
/// The client's half of MQTT keep-alive (3.1.2.10): after <c>keepAlive</c> without sending anything, send PINGREQ;
/// without PINGRESP within <c>pingTimeout</c>, the connection is dead. Times come from the injected clock.
/// </summary>
internal sealed class KeepAlive
{
    private readonly TimeSpan _interval;
    private readonly TimeSpan _pingTimeout;
    private readonly TimeProvider _time;
    private long _lastSent;
    private long _pingSentAt;
    private int _pingsSent;

    public KeepAlive(TimeSpan interval, TimeSpan pingTimeout, TimeProvider time)
    {
        _interval = interval;
        _pingTimeout = pingTimeout;
        _time = time;
        _lastSent = time.GetTimestamp();
    }

    public int PingsSent => Volatile.Read(ref _pingsSent);

    public void Sent() => Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());

    public void PongReceived() => Interlocked.Exchange(ref _pingSentAt, 0);

    /// <summary>A PINGREQ is out and its PINGRESP has not come yet.</summary>
    public bool AwaitingPong => Interlocked.Read(ref _pingSentAt) != 0;

    /// <summary>Runs until cancelled or the broker stops answering; then <paramref name="dead"/> hears why.</summary>
    public async Task RunAsync(Action sendPing, Action<Exception> dead, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var pingSentAt = Interlocked.Read(ref _pingSentAt);
                var waited = pingSentAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(pingSentAt);
                if (pingSentAt != 0 && waited >= _pingTimeout)
                {
                    dead(new TimeoutException($"The broker did not answer PINGREQ within {_pingTimeout.TotalSeconds:0.#} s."));
                    return;
                }

                var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastSent));
                if (pingSentAt == 0 && idle >= _interval)
                {
                    Interlocked.Exchange(ref _pingSentAt, _time.GetTimestamp());
                    Interlocked.Increment(ref _pingsSent);
                    sendPing();
                    pingSentAt = 1;
                    waited = TimeSpan.Zero;
                    idle = TimeSpan.Zero;
                }

                // Wake for whichever comes first: the next time silence needs filling, or the answer's deadline.
                var delay = _interval - idle;
                if (pingSentAt != 0 && _pingTimeout - waited < delay)
                {
                    delay = _pingTimeout - waited;
                }

                await Task.Delay(delay, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
