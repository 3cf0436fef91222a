using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// QoS 1 and 2 messages not yet acknowledged: waiting (offline, or behind older ones) or in flight on the current
/// connection. Bounded while offline: beyond <c>capacity</c> waiting messages the oldest is dropped; messages held
/// behind those in flight on a live connection are not counted until that connection is lost. A message the broker answers
/// by closing the connection would otherwise be resent for ever and hold back all that follow, so after
/// <c>maxLosses</c> lost connections it is given up; a loss counts only against the oldest message that was really
/// written to the lost connection, never against one that merely waited. Not thread-safe: the client holds its lock.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly LinkedList<PendingPublish> _waiting = new();
    private readonly LinkedList<PendingPublish> _inFlight = new();
    private readonly int _capacity;
    private readonly int _maxLosses;
    private readonly ILogger _logger;

    public OutboundQueue(int capacity, int maxLosses, ILogger logger)
    {
        _capacity = capacity;
        _maxLosses = maxLosses;
        _logger = logger;
    }

    public int WaitingCount => _waiting.Count;

    public int InFlightCount => _inFlight.Count;

    /// <summary>Waits for a connection; the oldest waiting beyond the capacity is dropped.</summary>
    public void Wait(PendingPublish pending)
    {
        _waiting.AddLast(pending.Node);
        Trim();
    }

    /// <summary>Waits behind the messages in flight on a live connection, which drains it: no bound until it is lost.</summary>
    public void Hold(PendingPublish pending) => _waiting.AddLast(pending.Node);

    /// <summary>The oldest waiting message, removed from the queue, or null.</summary>
    public PendingPublish? TakeNext()
    {
        if (_waiting.First is not { } first)
        {
            return null;
        }

        _waiting.RemoveFirst();
        return first.Value;
    }

    public void Flying(PendingPublish pending)
    {
        pending.Sending();
        _inFlight.AddLast(pending.Node);
    }

    /// <summary>The broker has it: it leaves the queue, even when its connection was declared lost in the meantime.</summary>
    public void Acknowledged(PendingPublish pending)
    {
        pending.Node.List?.Remove(pending.Node);
        pending.Acknowledge();
    }

    /// <summary>Everything waiting, oldest first, removed from the queue (to be sent on a new connection).</summary>
    public List<PendingPublish> TakeWaiting()
    {
        var all = new List<PendingPublish>(_waiting.Count);
        while (_waiting.First is { } first)
        {
            _waiting.RemoveFirst();
            all.Add(first.Value);
        }

        return all;
    }

    /// <summary>The connection ended: in-flight messages go back to the front in the order they were sent.</summary>
    public void ConnectionLost()
    {
        // The broker handles messages in order: only the oldest written and unacknowledged one can have made it
        // close the connection. One that never reached the stream cannot be to blame.
        for (var node = _inFlight.First; node is not null; node = node.Next)
        {
            if (!node.Value.WasWritten)
            {
                continue;
            }

            var suspect = node.Value;
            if (++suspect.Losses >= _maxLosses)
            {
                _inFlight.Remove(node);
                MqttLog.GivenUp(_logger, suspect.Message.Topic, suspect.Losses);
                suspect.Drop(new MqttPublishDroppedException($"The message for '{suspect.Message.Topic}' was sent {suspect.Losses} times and each time the connection ended before the broker acknowledged it."));
            }

            break;
        }

        while (_inFlight.Last is { } last)
        {
            _inFlight.RemoveLast();
            _waiting.AddFirst(last);
        }

        Trim();
    }

    /// <summary>The client stops: every message still here fails with <paramref name="reason"/>.</summary>
    public void DropAll(Exception reason)
    {
        foreach (var pending in _waiting.Concat(_inFlight).ToList())
        {
            pending.Drop(reason);
        }

        _waiting.Clear();
        _inFlight.Clear();
    }

    private void Trim()
    {
        while (_waiting.Count > _capacity && _waiting.First is { } oldest)
        {
            _waiting.RemoveFirst();
            MqttLog.OfflineQueueDropped(_logger, _capacity, oldest.Value.Message.Topic);
            oldest.Value.Drop(new MqttPublishDroppedException($"The offline queue held more than {_capacity} messages; the one for '{oldest.Value.Message.Topic}' was dropped."));
        }
    }
}
