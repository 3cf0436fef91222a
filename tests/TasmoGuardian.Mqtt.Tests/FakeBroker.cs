using System.Net;
using System.Net.Sockets;
using TasmoGuardian.Mqtt.Packets;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>
/// A TCP server that answers CONNECT with CONNACK and then does what the test tells it: send raw bytes, or go
/// silent. For the failure modes a real broker will not produce.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly Func<NetworkStream, CancellationToken, Task> _afterConnAck;
    private readonly LoopbackTcpServer _server;
    private int _connections;

    public FakeBroker(Func<NetworkStream, CancellationToken, Task> afterConnAck)
    {
        _afterConnAck = afterConnAck;
        _server = new LoopbackTcpServer(IPAddress.Loopback, 0, ServeAsync);
    }

    public int Port => _server.EndPoint.Port;

    public int Connections => Volatile.Read(ref _connections);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var body = new byte[header[1]];
        await stream.ReadExactlyAsync(body, cancellationToken);
        await stream.WriteAsync(PacketWriter.Encode(new ConnAckPacket(false, MqttConnectReturnCode.Accepted)), cancellationToken);
        Interlocked.Increment(ref _connections);
        await _afterConnAck(stream, cancellationToken);
    }
}
