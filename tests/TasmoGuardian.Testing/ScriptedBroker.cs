using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// A minimal MQTT 3.1.1 broker on loopback, for the few things mosquitto will not do: withhold an acknowledgement while
/// the connection stays up, or hang up on one message. It accepts any login, answers what its script says, records
/// every packet, and routes nothing between clients. Everything else is tested against a real mosquitto.
/// </summary>
public sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly Func<ScriptedPacket, ScriptedAnswer> _script;
    private readonly LoopbackTcpServer _server;
    private readonly List<ScriptedPacket> _received = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private NetworkStream? _current;
    private int _connections;

    /// <param name="script">Decides per packet; by default everything is acknowledged.</param>
    public ScriptedBroker(Func<ScriptedPacket, ScriptedAnswer>? script = null)
    {
        _script = script ?? (_ => ScriptedAnswer.Acknowledge);
        _server = new LoopbackTcpServer(IPAddress.Loopback, 0, ServeAsync);
    }

    public string Host => "127.0.0.1";

    public int Port => _server.EndPoint.Port;

    /// <summary>Connections that sent CONNECT, counting the current one.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<ScriptedPacket> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The PUBLISH packets received on <paramref name="topic"/>, oldest first.</summary>
    public IReadOnlyList<ScriptedPacket> Published(string topic) =>
        Received.Where(p => p.Type == ScriptedPacket.Publish && p.Topic == topic).ToList();

    /// <summary>The SUBSCRIBE packets that asked for <paramref name="filter"/>, oldest first.</summary>
    public IReadOnlyList<ScriptedPacket> Subscriptions(string filter) =>
        Received.Where(p => p.Type == ScriptedPacket.Subscribe && p.Filters.Contains(filter)).ToList();

    /// <summary>Delivers a QoS 0 message to the connected client.</summary>
    public async Task SendAsync(string topic, string payload)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var body = new byte[2 + topicBytes.Length + Encoding.UTF8.GetByteCount(payload)];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)topicBytes.Length);
        topicBytes.CopyTo(body, 2);
        Encoding.UTF8.GetBytes(payload, body.AsSpan(2 + topicBytes.Length));
        await WriteAsync(Volatile.Read(ref _current) ?? throw new InvalidOperationException("No client is connected."), 0x30, body);
    }

    /// <summary>Ends the current connection from the broker's side, as a restart would.</summary>
    public void Drop() => Volatile.Read(ref _current)?.Socket.Close();

    public async ValueTask DisposeAsync()
    {
        Drop();
        await _server.DisposeAsync();
        _writeLock.Dispose();
    }

    private static async Task<(int Header, byte[] Body)?> ReadPacketAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        if (await stream.ReadAsync(one, cancellationToken) == 0)
        {
            return null;
        }

        var header = one[0];
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            length |= (one[0] & 0x7F) << shift;
            if ((one[0] & 0x80) == 0)
            {
                break;
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (header, body);
    }

    private static string ReadString(byte[] body, ref int offset)
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(offset));
        var text = Encoding.UTF8.GetString(body, offset + 2, length);
        offset += 2 + length;
        return text;
    }

    private static ScriptedPacket Decode(int header, byte[] body, int connection)
    {
        var type = header >> 4;
        var offset = 0;
        switch (type)
        {
            case ScriptedPacket.Connect:
                ReadString(body, ref offset);
                var keepAlive = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(offset + 2));
                return new ScriptedPacket(type, connection, 0, null, [], 0, [], keepAlive);
            case ScriptedPacket.Publish:
                var qos = (header >> 1) & 3;
                var topic = ReadString(body, ref offset);
                ushort publishId = 0;
                if (qos > 0)
                {
                    publishId = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(offset));
                    offset += 2;
                }

                return new ScriptedPacket(type, connection, publishId, topic, [], qos, body[offset..], 0);
            case ScriptedPacket.Subscribe or ScriptedPacket.Unsubscribe:
                var id = BinaryPrimitives.ReadUInt16BigEndian(body);
                offset = 2;
                var filters = new List<string>();
                while (offset < body.Length)
                {
                    filters.Add(ReadString(body, ref offset));
                    offset += type == ScriptedPacket.Subscribe ? 1 : 0;
                }

                return new ScriptedPacket(type, connection, id, null, filters, 0, [], 0);
            default:
                var packetId = body.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(body) : (ushort)0;
                return new ScriptedPacket(type, connection, packetId, null, [], 0, [], 0);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var connection = 0;
        while (await ReadPacketAsync(stream, cancellationToken) is var (header, body))
        {
            var packet = Decode(header, body, connection == 0 ? Connections + 1 : connection);
            if (packet.Type == ScriptedPacket.Connect)
            {
                connection = Interlocked.Increment(ref _connections);
                Volatile.Write(ref _current, stream);
            }

            lock (_received)
            {
                _received.Add(packet);
            }

            switch (_script(packet))
            {
                case ScriptedAnswer.HangUp:
                    return;
                case ScriptedAnswer.Withhold:
                    continue;
            }

            var id = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(id, packet.PacketId);
            switch (packet.Type)
            {
                case ScriptedPacket.Connect:
                    await WriteAsync(stream, 0x20, [0, 0]);
                    break;
                case ScriptedPacket.Publish when packet.QualityOfService == 1:
                    await WriteAsync(stream, 0x40, id);
                    break;
                case ScriptedPacket.Publish when packet.QualityOfService == 2:
                    await WriteAsync(stream, 0x50, id);
                    break;
                case 6:
                    // PUBREL of a QoS 2 message: complete it.
                    await WriteAsync(stream, 0x70, id);
                    break;
                case ScriptedPacket.Subscribe:
                    await WriteAsync(stream, 0x90, [.. id, .. Enumerable.Repeat((byte)1, packet.Filters.Count)]);
                    break;
                case ScriptedPacket.Unsubscribe:
                    await WriteAsync(stream, 0xB0, id);
                    break;
                case ScriptedPacket.PingReq:
                    await WriteAsync(stream, 0xD0, []);
                    break;
                case 14:
                    return;
            }
        }
    }

    private async Task WriteAsync(NetworkStream stream, byte header, byte[] body)
    {
        var frame = new List<byte> { header };
        var length = body.Length;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            frame.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        frame.AddRange(body);
        await _writeLock.WaitAsync();
        try
        {
            await stream.WriteAsync(frame.ToArray());
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
