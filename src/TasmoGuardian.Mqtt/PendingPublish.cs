namespace TasmoGuardian.Mqtt;

/// <summary>A QoS 1 or 2 message on its way: waiting while offline, in flight while connected, done when acknowledged.</summary>
internal sealed class PendingPublish
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _written;

    public PendingPublish(MqttMessage message)
    {
        Message = message;
        Node = new LinkedListNode<PendingPublish>(this);
    }

    public MqttMessage Message { get; }

    /// <summary>Its place in the waiting queue or the in-flight list; it is in at most one of them.</summary>
    public LinkedListNode<PendingPublish> Node { get; }

    /// <summary>How often it was sent; from the second time on it carries the DUP flag.</summary>
    public int Attempts { get; set; }

    /// <summary>How often a connection ended while this was the oldest message written to it and not acknowledged.</summary>
    public int Losses { get; set; }

    /// <summary>It reached the current connection, as far as anyone can tell (reset on every send).</summary>
    public bool WasWritten => Volatile.Read(ref _written) != 0;

    public Task Completion => _completion.Task;

    public void Sending() => Volatile.Write(ref _written, 0);

    public void Written() => Volatile.Write(ref _written, 1);

    public void Unwritten() => Volatile.Write(ref _written, 0);

    public void Acknowledge() => _completion.TrySetResult();

    public void Drop(Exception reason) => _completion.TrySetException(reason);
}
