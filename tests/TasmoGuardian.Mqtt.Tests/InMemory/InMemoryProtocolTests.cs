using TasmoGuardian.Mqtt.Packets;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests.InMemory;

/// <summary>The protocol over an in-memory link: what a real broker never does, and timing driven by a manual clock.</summary>
public sealed class InMemoryProtocolTests
{
    [Fact]
    public async Task Acknowledgement_OfTheWrongType_ClosesTheConnection_WithAProtocolError()
    {
        await using var broker = new ScriptedBroker((packet, b) => packet is PublishPacket p
            ? b.SendAsync(new SubAckPacket(p.PacketId, [0]))
            : b.AcknowledgeAsync(packet));
        await using var connection = await broker.ConnectDirectAsync();

        var publish = connection.PublishAsync(MqttMessage.FromString("a", "1", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("The broker answered packet 1 with SubAck where PubAck was expected.", Assert.IsType<MqttProtocolException>(reason).Message);
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => publish);
    }

    [Fact]
    public async Task QoS2Publish_CompletesOnlyAfterPubComp_AndReleasesWithPubRel()
    {
        var pubRecSent = new TaskCompletionSource();
        await using var broker = new ScriptedBroker(async (packet, b) =>
        {
            if (packet is PublishPacket p)
            {
                await b.SendAsync(new PubRecPacket(p.PacketId));
                pubRecSent.TrySetResult();
            }
            else if (packet is PubRelPacket r)
            {
                await b.SendAsync(new PubCompPacket(r.PacketId));
            }
        });
        await using var connection = await broker.ConnectDirectAsync();

        await connection.PublishAsync(MqttMessage.FromString("a", "2", MqttQualityOfService.ExactlyOnce), MqttTestOptions.Within());

        Assert.Collection(broker.Received, p => Assert.IsType<PublishPacket>(p), p => Assert.Equal(1, Assert.IsType<PubRelPacket>(p).PacketId));
        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task PubCompBeforePubRec_IsAProtocolError()
    {
        await using var broker = new ScriptedBroker((packet, b) => packet is PublishPacket p ? b.SendAsync(new PubCompPacket(p.PacketId)) : ValueTask.CompletedTask);
        await using var connection = await broker.ConnectDirectAsync();

        _ = connection.PublishAsync(MqttMessage.FromString("a", "2", MqttQualityOfService.ExactlyOnce), CancellationToken.None);

        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("with PubComp where PubRec was expected", Assert.IsType<MqttProtocolException>(reason).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgementForAnUnknownId_IsIgnored()
    {
        await using var broker = new ScriptedBroker();
        await using var connection = await broker.ConnectDirectAsync();

        await broker.SendAsync(new PubAckPacket(99));
        await connection.PublishAsync(MqttMessage.FromString("a", "1", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task KeepAlive_PingsWhenIdle_AndDeclaresASilentBrokerDead_OnTheClock()
    {
        var answer = true;
        await using var broker = new ScriptedBroker((packet, b) => packet is PingReqPacket && Volatile.Read(ref answer) ? b.SendAsync(PingRespPacket.Instance) : ValueTask.CompletedTask);
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var options = new MqttClientOptions { Host = "memory", ClientId = "keepalive", KeepAlive = TimeSpan.FromSeconds(30), PingTimeout = TimeSpan.FromSeconds(10) };
        var stream = await broker.ConnectAsync(options, CancellationToken.None);
        await using var connection = await MqttConnection.StartAsync(stream, options, (_, _) => ValueTask.CompletedTask, null, clock, MqttTestOptions.Within());
        await Eventually.TrueAsync(() => clock.NextTimerDue == DateTimeOffset.UnixEpoch.AddSeconds(30), TimeSpan.FromSeconds(10), "the keep-alive to wait 30 s");

        clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => broker.Received.OfType<PingReqPacket>().Count() == 1, TimeSpan.FromSeconds(10), "the first ping");
        await Eventually.TrueAsync(() => !connection.AwaitingPong && clock.NextTimerDue == DateTimeOffset.UnixEpoch.AddSeconds(40), TimeSpan.FromSeconds(10), "the answer, and a wake-up at its deadline");
        Volatile.Write(ref answer, false);
        clock.Advance(TimeSpan.FromSeconds(10));

        // Answered: the next ping is due 30 s after the last one, not 30 s after the deadline.
        await Eventually.TrueAsync(() => clock.NextTimerDue == DateTimeOffset.UnixEpoch.AddSeconds(60), TimeSpan.FromSeconds(10), "the next idle wait");
        Assert.False(connection.IsClosed);
        clock.Advance(TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync(() => broker.Received.OfType<PingReqPacket>().Count() == 2 && clock.NextTimerDue == DateTimeOffset.UnixEpoch.AddSeconds(70), TimeSpan.FromSeconds(10), "the second ping and its deadline");
        clock.Advance(TimeSpan.FromSeconds(10));

        var reason = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("did not answer PINGREQ within 10 s", Assert.IsType<TimeoutException>(reason).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientFactory_IsAskedBeforeEveryAttempt_AndHearsWhyTheLastOneFailed()
    {
        await using var broker = new ScriptedBroker();
        var attempts = new List<MqttConnectAttempt>();
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            ClientFactory = (attempt, _) =>
            {
                lock (attempts)
                {
                    attempts.Add(attempt);
                    if (attempts.Count < 3)
                    {
                        throw new InvalidOperationException($"no broker yet ({attempts.Count})");
                    }
                }

                return ValueTask.FromResult(new MqttClientOptions { Host = "memory", ClientId = "factory" });
            },
            Transport = broker.ConnectAsync,
            MinReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(20),
        });

        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        Assert.Equal([0, 1, 2], attempts.Select(a => a.FailedAttempts));
        Assert.Null(attempts[0].LastFailure);
        Assert.Equal("no broker yet (2)", attempts[2].LastFailure!.Message);
    }

    [Fact]
    public async Task MessageTheBrokerAnswersByHangingUp_IsGivenUp_AndTheRestGetThrough()
    {
        await using var broker = new ScriptedBroker((packet, b) =>
        {
            if (packet is PublishPacket { Topic: "poison" })
            {
                b.Drop();
                return ValueTask.CompletedTask;
            }

            return b.AcknowledgeAsync(packet);
        });
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = "memory", ClientId = "poison" },
            Transport = broker.ConnectAsync,
            MinReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxDeliveryAttempts = 3,
        });
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        var poison = client.PublishAsync(MqttMessage.FromString("poison", "x", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        var healthy = client.PublishAsync(MqttMessage.FromString("healthy", "y", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => poison.WaitAsync(TimeSpan.FromSeconds(15)));
        await healthy.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(3, broker.Received.OfType<PublishPacket>().Count(p => p.Topic == "poison"));
    }

    [Fact]
    public async Task StartAsync_HonoursACancelledToken()
    {
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions { Client = new MqttClientOptions { Host = "memory", ClientId = "cancelled" } });

        await Assert.ThrowsAsync<OperationCanceledException>(() => client.StartAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task StopAsync_Completes_WhileAHandlerAwaitsAPublishTheBrokerNeverAcknowledges()
    {
        // A handler that answers a message by publishing at QoS 1 and awaiting it (as a device simulator or a bridge
        // does) must not hold the stop up for ever: the stop fails the unacknowledged publish, and the handler ends.
        await using var broker = new ScriptedBroker((packet, b) => packet is PublishPacket ? ValueTask.CompletedTask : b.AcknowledgeAsync(packet));
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = "memory", ClientId = "stopping" },
            Transport = broker.ConnectAsync,
        });
        var handlerPublish = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.SubscribeAsync("cmd", MqttQualityOfService.AtLeastOnce, async (_, _) =>
        {
            var reply = client.PublishAsync(MqttMessage.FromString("reply", "r", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
            handlerPublish.TrySetResult(reply);
            await reply;
        }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await broker.SendAsync(new PublishPacket("cmd", new byte[] { 1 }, MqttQualityOfService.AtMostOnce, retain: false, duplicate: false, packetId: 0));
        var reply = await handlerPublish.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => broker.Received.OfType<PublishPacket>().Any(p => p.Topic == "reply"), TimeSpan.FromSeconds(10), "the reply on the wire");

        await client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => reply);
    }

    [Fact]
    public async Task PublishAsync_AfterTheClientWasStopped_FailsAtOnce()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = "memory", ClientId = "stopped" },
            Transport = broker.ConnectAsync,
        });
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());
        await client.StopAsync(CancellationToken.None);

        var late = client.PublishAsync(MqttMessage.FromString("late", "x", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => late.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
