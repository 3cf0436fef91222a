using TasmoGuardian.Mqtt.Packets;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>Brokers that misbehave: the connection closes with a clear reason and the managed client comes back.</summary>
public sealed class FaultyBrokerTests
{
    [Fact]
    public async Task MalformedPacket_ClosesTheConnection_WithTheReason()
    {
        await using var broker = new FakeBroker(async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[] { 0x36, 0x02, 0x00, 0x00 }, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

        await using var connection = await Connect(broker.Port);
        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        var protocol = Assert.IsType<MqttProtocolException>(reason);
        Assert.Contains("QoS 3", protocol.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedPacket_ClosesTheConnection_BeforeBufferingIt()
    {
        await using var broker = new FakeBroker(async (stream, ct) =>
        {
            // Remaining length 268435455: the header alone announces 256 MiB.
            await stream.WriteAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F }, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

        await using var connection = await Connect(broker.Port);
        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("exceeds the limit of 1048576 bytes", Assert.IsType<MqttProtocolException>(reason).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentBroker_IsDeclaredDead_WhenPingsGoUnanswered()
    {
        await using var broker = new FakeBroker((_, ct) => Task.Delay(Timeout.Infinite, ct));
        await using var connection = await Connect(broker.Port);
        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("did not answer PINGREQ", Assert.IsType<TimeoutException>(reason).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagedClient_Reconnects_AfterAMalformedPacket()
    {
        await using var broker = new FakeBroker(async (stream, ct) =>
        {
            await Task.Delay(50, ct);
            await stream.WriteAsync(new byte[] { 0xF0, 0x00 }, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var logs = new CollectingLoggerProvider();
        await using var client = new ManagedMqttClient(MqttTestOptions.Managed(Options(broker.Port)), logs.CreateLogger<ManagedMqttClient>());

        await client.StartAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => broker.Connections >= 3, TimeSpan.FromSeconds(15), () => $"{broker.Connections} connections");
        Assert.Contains(logs.Entries, e => e.Message.Contains("Unknown packet type 15", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageTheBrokerKeepsRefusing_IsGivenUp_AndDoesNotHoldBackTheRest()
    {
        // A broker that drops the connection whenever it sees a PUBLISH for "poison", and acknowledges the others.
        await using var broker = new FakeBroker(async (stream, ct) =>
        {
            var header = new byte[1];
            while (await stream.ReadAsync(header, ct) == 1)
            {
                var length = 0;
                var multiplier = 1;
                int b;
                do
                {
                    b = stream.ReadByte();
                    length += (b & 0x7F) * multiplier;
                    multiplier *= 128;
                }
                while ((b & 0x80) != 0);
                var body = new byte[length];
                await stream.ReadExactlyAsync(body, ct);
                var frame = new byte[] { header[0] }.Concat(EncodeLength(length)).Concat(body).ToArray();
                if (TasmoGuardian.Mqtt.Packets.PacketReader.DecodeFrame(frame) is TasmoGuardian.Mqtt.Packets.PublishPacket publish)
                {
                    if (publish.Topic == "poison")
                    {
                        return;
                    }

                    await stream.WriteAsync(TasmoGuardian.Mqtt.Packets.PacketWriter.Encode(new TasmoGuardian.Mqtt.Packets.PubAckPacket(publish.PacketId)), ct);
                }
            }
        });
        await using var client = new ManagedMqttClient(MqttTestOptions.Managed(Options(broker.Port)) is var o
            ? new ManagedMqttClientOptions { Client = o.Client, MinReconnectDelay = TimeSpan.FromMilliseconds(10), MaxReconnectDelay = TimeSpan.FromMilliseconds(50), MaxDeliveryAttempts = 3 }
            : null!);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        var poison = client.PublishAsync(MqttMessage.FromString("poison", "x", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        var healthy = client.PublishAsync(MqttMessage.FromString("healthy", "y", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => poison.WaitAsync(TimeSpan.FromSeconds(15)));
        await healthy.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.InRange(broker.Connections, 3, 6);
    }

    private static IEnumerable<byte> EncodeLength(int length)
    {
        var buffer = new byte[4];
        return buffer[..TasmoGuardian.Mqtt.Packets.VariableByteInteger.Write(length, buffer)];
    }

    private static Task<MqttConnection> Connect(int port) =>
        MqttConnection.ConnectAsync(Options(port), (_, _) => ValueTask.CompletedTask, null, null, MqttTestOptions.Within());

    private static MqttClientOptions Options(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = "faulty",
        KeepAlive = TimeSpan.FromSeconds(1),
        PingTimeout = TimeSpan.FromSeconds(1),
    };
}
