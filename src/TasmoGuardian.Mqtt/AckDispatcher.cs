using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// Packet identifiers and the waiters behind them, for one connection. A waiter is registered before its packet is
/// sent, with the acknowledgement type it expects; an acknowledgement of another type for that identifier is a
/// protocol error, not a cast failure. QoS 2 expects PUBREC and then PUBCOMP.
/// </summary>
internal sealed class AckDispatcher
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, Entry> _pending = [];
    private ushort _lastId;
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Reserves an identifier for a packet that expects <paramref name="expected"/>; false once the connection has closed.</summary>
    public bool TryRegister(IAckWaiter waiter, MqttPacketType expected, out ushort id)
    {
        lock (_gate)
        {
            if (_closed)
            {
                id = 0;
                return false;
            }

            if (_pending.Count >= ushort.MaxValue)
            {
                throw new MqttProtocolException("All 65535 packet identifiers are waiting for acknowledgements.");
            }

            do
            {
                _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
            }
            while (_pending.ContainsKey(_lastId));

            id = _lastId;
            _pending.Add(id, new Entry(waiter, expected));
            return true;
        }
    }

    /// <summary>The bytes of the packet with this identifier reached the stream.</summary>
    public void MarkWritten(ushort id)
    {
        IAckWaiter? waiter;
        lock (_gate)
        {
            waiter = _pending.TryGetValue(id, out var entry) ? entry.Waiter : null;
        }

        waiter?.Written();
    }

    /// <summary>
    /// Matches an acknowledgement to its waiter. Returns false for an identifier nobody waits for (a late duplicate,
    /// harmless); throws <see cref="MqttProtocolException"/> when the type is not the one expected.
    /// </summary>
    public bool Acknowledge(MqttPacketWithId ack)
    {
        IAckWaiter waiter;
        lock (_gate)
        {
            if (!_pending.TryGetValue(ack.PacketId, out var entry))
            {
                return false;
            }

            if (entry.Expected != ack.Type)
            {
                throw new MqttProtocolException($"The broker answered packet {ack.PacketId} with {ack.Type} where {entry.Expected} was expected.");
            }

            if (ack.Type == MqttPacketType.PubRec)
            {
                // QoS 2, first half: the broker has the message; PUBCOMP ends it after our PUBREL.
                entry.Expected = MqttPacketType.PubComp;
                return true;
            }

            _pending.Remove(ack.PacketId);
            waiter = entry.Waiter;
        }

        waiter.Acknowledge(ack);
        return true;
    }

    /// <summary>The connection ended: every waiter hears why, and nothing can be registered any more.</summary>
    public void FailAll(Exception reason)
    {
        Entry[] entries;
        lock (_gate)
        {
            _closed = true;
            entries = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var entry in entries)
        {
            entry.Waiter.Fail(reason);
        }
    }

    private sealed class Entry(IAckWaiter waiter, MqttPacketType expected)
    {
        public IAckWaiter Waiter { get; } = waiter;

        public MqttPacketType Expected { get; set; } = expected;
    }
}
