using System.Net;
using System.Net.Sockets;
using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>
/// A TCP server that answers CONNECT with CONNACK and then does what the test tells it: send raw bytes, or go
/// silent. For the failure modes a real broker will not produce.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, CancellationToken, Task> _afterConnAck;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public FakeBroker(Func<NetworkStream, CancellationToken, Task> afterConnAck)
    {
        _afterConnAck = afterConnAck;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var header = new byte[2];
                await stream.ReadExactlyAsync(header, _stop.Token);
                var body = new byte[header[1]];
                await stream.ReadExactlyAsync(body, _stop.Token);
                await stream.WriteAsync(PacketWriter.Encode(new ConnAckPacket(false, MqttConnectReturnCode.Accepted)), _stop.Token);
                Interlocked.Increment(ref _connections);
                await _afterConnAck(stream, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or EndOfStreamException)
            {
            }
        }
    }
}
