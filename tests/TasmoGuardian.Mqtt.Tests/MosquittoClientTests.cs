using System.Security.Authentication;
using System.Text;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>The client against a real mosquitto with a password file, as Home Assistant's broker runs.</summary>
public sealed class MosquittoClientTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Connect_Succeeds_WithTheRightCredentials_AsMqtt311WithA30sKeepAlive()
    {
        var options = MqttTestOptions.For(_broker);
        await using var client = await ConnectedAsync(options);

        // mosquitto logs each login as "(p2, c1, k30, u'guardian')": protocol level 4 is its "p2", MQTT 3.1.1.
        await Eventually.TrueAsync(() => _broker.Log.Contains($"as {options.ClientId} (p2, c1, k30, u'{_broker.Username}')", StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => _broker.Log);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Connect_IsRefusedClearly_WithoutCredentials()
    {
        var options = new MqttClientOptions { Host = _broker.Host, Port = _broker.Port, ClientId = "anonymous" };

        var ex = Assert.IsType<MqttConnectException>(await FirstFailureAsync(options));

        Assert.Equal(MqttConnectReturnCode.NotAuthorized, ex.ReturnCode);
        Assert.True(ex.IsPermanent);
        Assert.Contains("not authorized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_Succeeds_WithoutCredentials_WhenTheBrokerAllowsAnonymous()
    {
        await using var open = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { AllowAnonymous = true });
        var options = new MqttClientOptions { Host = open.Host, Port = open.Port, ClientId = "anonymous" };

        await using var client = await ConnectedAsync(options);

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Connect_FailsWithTheSocketsReason_WhenNothingListens()
    {
        var options = new MqttClientOptions { Host = "127.0.0.1", Port = PortAllocator.FreeTcpPort(), ClientId = "nobody-home" };

        var error = Assert.IsType<MqttConnectionClosedException>(await FirstFailureAsync(options));

        Assert.IsType<System.Net.Sockets.SocketException>(error.InnerException);
        Assert.Equal("Connection refused", error.Message);
    }

    [Fact]
    public async Task WrongPassword_IsOneClearError_NotARetryStorm()
    {
        using var logs = new CollectingLoggerProvider();
        var client = new MqttClientOptions
        {
            Host = _broker.Host,
            Port = _broker.Port,
            ClientId = "wrong-password",
            Username = _broker.Username,
            Password = "not-the-password",
        };
        var clock = new TimerRecordingTimeProvider();
        await using var managed = new ManagedMqttClient(
            new ManagedMqttClientOptions { Client = client, MinReconnectDelay = TimeSpan.FromMilliseconds(10), MaxReconnectDelay = TimeSpan.FromSeconds(30) },
            logs.CreateLogger<ManagedMqttClient>(),
            clock);

        await managed.StartAsync(CancellationToken.None);

        // Parked on the clock until the next attempt: a refused login waits the longest delay, not the shortest.
        await Eventually.TrueAsync(() => managed.LastError is not null && clock.DueTimes.Contains(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(10), "a refused attempt and the wait after it");
        Assert.DoesNotContain(clock.DueTimes, due => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(1));
        var error = Assert.IsType<MqttConnectException>(managed.LastError);
        Assert.Equal(MqttConnectReturnCode.NotAuthorized, error.ReturnCode);
        var attempts = _broker.Log.Split('\n').Count(l => l.Contains("disconnected, not authorised", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, attempts);
        var lines = logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        var line = Assert.Single(lines);
        Assert.Contains("refused the login", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", string.Join("\n", logs.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientFactory_IsAskedBeforeEveryAttempt_AndHearsWhyTheLastOneFailed()
    {
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

                return ValueTask.FromResult(MqttTestOptions.For(_broker));
            },
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
    public async Task Tls_Connects_WhenTheBrokersCaIsTrusted()
    {
        await using var client = await ConnectedAsync(TlsOptions(new MqttTlsOptions { TrustedCaCertificate = _broker.Certificates!.Ca }));

        await client.PublishAsync(MqttMessage.FromString("tls/check", "ok", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Tls_Connects_WhenUntrustedCertificatesAreAllowed()
    {
        await using var client = await ConnectedAsync(TlsOptions(new MqttTlsOptions { AllowUntrustedCertificates = true }));

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Tls_Fails_WhenTheCertificateIsNotTrusted() =>
        Assert.IsType<AuthenticationException>((await FirstFailureAsync(TlsOptions(new MqttTlsOptions()))).InnerException);

    [Fact]
    public async Task Tls_Fails_WhenTheHostNameDoesNotMatch_EvenWithTheCa() =>
        Assert.IsType<AuthenticationException>((await FirstFailureAsync(TlsOptions(new MqttTlsOptions { TrustedCaCertificate = _broker.Certificates!.Ca, TargetHost = "broker.example" }))).InnerException);

    [Fact]
    public async Task RetainedMessage_IsDelivered_ToALaterSubscriber()
    {
        await using (var publisher = await ConnectedAsync(MqttTestOptions.For(_broker)))
        {
            await publisher.PublishAsync(MqttMessage.FromString("retained/topic", "kept", MqttQualityOfService.AtLeastOnce, retain: true), MqttTestOptions.Within());
        }

        var received = new TaskCompletionSource<MqttMessage>();
        await using var subscriber = NewManaged(MqttTestOptions.For(_broker));
        await subscriber.SubscribeAsync("retained/#", MqttQualityOfService.AtLeastOnce, (m, _) => { received.TrySetResult(m); return ValueTask.CompletedTask; }, CancellationToken.None);
        await subscriber.StartAsync(CancellationToken.None);

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(message.Retain);
        Assert.Equal("kept", message.PayloadAsString());
    }

    [Fact]
    public async Task Wildcards_RouteEachMessage_ToEveryMatchingHandlerOnly()
    {
        var seen = new List<string>();
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.SubscribeAsync("home/+/temperature", MqttQualityOfService.AtLeastOnce, Record("plus"), CancellationToken.None);
        await client.SubscribeAsync("home/#", MqttQualityOfService.AtLeastOnce, Record("hash"), CancellationToken.None);
        await client.SubscribeAsync("garden/bed", MqttQualityOfService.AtLeastOnce, Record("exact"), CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await client.PublishAsync(MqttMessage.FromString("home/kitchen/temperature", "1", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("home/door", "2", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("garden/bed", "3", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("elsewhere", "4", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("home/end", "5", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await Eventually.TrueAsync(() => Snapshot().Contains("hash:home/end=5"), TimeSpan.FromSeconds(10), () => string.Join(", ", Snapshot()));

        Assert.Equal(["plus:home/kitchen/temperature=1", "hash:home/kitchen/temperature=1", "hash:home/door=2", "exact:garden/bed=3", "hash:home/end=5"], Snapshot());

        MqttMessageHandler Record(string name) => (m, _) =>
        {
            lock (seen)
            {
                seen.Add($"{name}:{m.Topic}={m.PayloadAsString()}");
            }

            return ValueTask.CompletedTask;
        };

        List<string> Snapshot()
        {
            lock (seen)
            {
                return [.. seen];
            }
        }
    }

    [Fact]
    public async Task QoS1Publish_CompletesOnlyWhenTheBrokerAcknowledged_AndArrivesOnce()
    {
        await using var recorder = await MessageRecorder.StartAsync(_broker, "qos1/#");
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        var publishes = Enumerable.Range(0, 500).Select(i => client.PublishAsync(MqttMessage.FromString($"qos1/{i % 5}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within())).ToList();
        await Task.WhenAll(publishes);

        await Eventually.TrueAsync(() => recorder.Messages.Count >= 500, TimeSpan.FromSeconds(10), () => $"{recorder.Messages.Count} of 500");
        Assert.Equal(500, recorder.Messages.Select(m => m.PayloadAsString()).Distinct().Count());
    }

    [Fact]
    public async Task QoS1Publishes_BeyondTheInFlightWindow_AllArrive_InOrder()
    {
        await using var recorder = await MessageRecorder.StartAsync(_broker, "window/#");
        await using var client = new ManagedMqttClient(MqttTestOptions.Managed(MqttTestOptions.For(_broker)) is var o
            ? new ManagedMqttClientOptions { Client = o.Client, MaxInFlight = 2, MaxOfflineQueue = 3 }
            : null!);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        // Twenty at once: two go out, the others wait their turn, and the offline bound of 3 does not apply to them.
        var publishes = Enumerable.Range(0, 20).Select(i => client.PublishAsync(MqttMessage.FromString("window/x", $"{i}", MqttQualityOfService.AtLeastOnce), CancellationToken.None)).ToList();
        await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(15));

        await Eventually.TrueAsync(() => recorder.Messages.Count == 20, TimeSpan.FromSeconds(10), () => recorder.Summary());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{i}"), recorder.Messages.Select(m => m.PayloadAsString()));
    }

    [Fact]
    public async Task QoS2Message_IsReceivedExactlyOnce()
    {
        var received = new List<string>();
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.SubscribeAsync("qos2/#", MqttQualityOfService.ExactlyOnce, (m, _) => { lock (received) { received.Add(m.PayloadAsString()); } return ValueTask.CompletedTask; }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        var (code, output) = await ProcessRunner.RunAsync("mosquitto_pub", ["-h", _broker.Host, "-p", $"{_broker.Port}", "-u", _broker.Username, "-P", _broker.Password, "-q", "2", "-t", "qos2/x", "-m", "exactly"], TimeSpan.FromSeconds(10));
        Assert.True(code == 0, output);
        await Eventually.TrueAsync(() => { lock (received) { return received.Count == 1; } }, TimeSpan.FromSeconds(10), "the QoS 2 message");
        await client.PublishAsync(MqttMessage.FromString("qos2/y", "marker", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("marker"); } }, TimeSpan.FromSeconds(10), "the marker");

        lock (received)
        {
            Assert.Equal(["exactly", "marker"], received);
        }
    }

    [Fact]
    public async Task Will_IsDelivered_WhenTheSocketDiesWithoutDisconnect()
    {
        await using var recorder = await MessageRecorder.StartAsync(_broker, "will/#");
        var options = MqttTestOptions.For(_broker, will: MqttMessage.FromString("will/status", "offline", MqttQualityOfService.AtLeastOnce, retain: true));
        await using var client = await ConnectedAsync(options);

        client.Abort();

        var will = await recorder.WaitForAsync("will/status", "offline", TimeSpan.FromSeconds(10));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, will.QualityOfService);
    }

    [Fact]
    public async Task Will_IsNotDelivered_AfterACleanDisconnect()
    {
        await using var recorder = await MessageRecorder.StartAsync(_broker, "will/#");
        var options = MqttTestOptions.For(_broker, will: MqttMessage.FromString("will/status", "offline", MqttQualityOfService.AtLeastOnce));
        var client = await ConnectedAsync(options);
        await client.PublishAsync(MqttMessage.FromString("will/status", "bye", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await client.StopAsync(MqttTestOptions.Within());
        await recorder.WaitForAsync("will/status", "bye", TimeSpan.FromSeconds(10));
        await recorder.Client.PublishAsync(MqttMessage.FromString("will/marker", "after", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await recorder.WaitForAsync("will/marker", "after", TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(recorder.Messages, m => m.PayloadAsString() == "offline");
        Assert.False(client.IsConnected);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task BrokerRestart_RestoresSubscriptionsAndBirth_AndDeliversWhatWasQueued()
    {
        var received = new List<string>();
        var birth = MqttMessage.FromString("restart/status", "online", MqttQualityOfService.AtLeastOnce, retain: true);
        await using var client = NewManaged(MqttTestOptions.For(_broker), birth, reconnect: SlowReconnect);
        var connects = 0;
        client.Connected += (_, _) => Interlocked.Increment(ref connects);
        await client.SubscribeAsync("restart/in", MqttQualityOfService.AtLeastOnce, (m, _) => { lock (received) { received.Add(m.PayloadAsString()); } return ValueTask.CompletedTask; }, CancellationToken.None);

        // The client hears its own queued message: the recorder may subscribe only after the client flushed its queue.
        await client.SubscribeAsync("restart/out", MqttQualityOfService.AtLeastOnce, (m, _) => { lock (received) { received.Add(m.PayloadAsString()); } return ValueTask.CompletedTask; }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await _broker.StopAsync();
        await Eventually.TrueAsync(() => !client.IsConnected, TimeSpan.FromSeconds(10), "the client to notice");
        var queued = client.PublishAsync(MqttMessage.FromString("restart/out", "while-offline", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        Assert.False(queued.IsCompleted);
        await using var recorder = await StartAgainAndRecord("restart/#");

        await queued.WaitAsync(TimeSpan.FromSeconds(15));
        await recorder.WaitForAsync("restart/status", "online", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("while-offline"); } }, TimeSpan.FromSeconds(10), "the queued message");
        await recorder.Client.PublishAsync(MqttMessage.FromString("restart/in", "after-restart", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("after-restart"); } }, TimeSpan.FromSeconds(10), "the restored subscription");
        Assert.Equal(2, Volatile.Read(ref connects));
    }

    [Fact]
    public async Task OfflineQueue_DropsTheOldest_WhenFull_AndKeepsOrder()
    {
        // Offline by a wrong port, so the recorder is listening on the running broker before the client comes.
        var online = 0;
        await using var recorder = await MessageRecorder.StartAsync(_broker, "queue/#");
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            ClientFactory = (_, _) => ValueTask.FromResult(Volatile.Read(ref online) == 1 ? MqttTestOptions.For(_broker) : MqttTestOptions.For(_broker) with { Port = PortAllocator.FreeTcpPort() }),
            MinReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxOfflineQueue = 3,
        });
        await client.StartAsync(CancellationToken.None);

        var publishes = Enumerable.Range(1, 5).Select(i => client.PublishAsync(MqttMessage.FromString("queue/x", $"m{i}", MqttQualityOfService.AtLeastOnce), CancellationToken.None)).ToList();
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => publishes[0]);
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => publishes[1]);
        Assert.Equal(3, client.OfflineQueueLength);

        Volatile.Write(ref online, 1);
        await Task.WhenAll(publishes.Skip(2)).WaitAsync(TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => recorder.Messages.Count == 3, TimeSpan.FromSeconds(10), () => recorder.Summary());

        Assert.Equal(["m3", "m4", "m5"], recorder.Messages.Select(m => m.PayloadAsString()));
    }

    [Fact]
    public async Task MessageTheBrokerAnswersByHangingUp_IsGivenUp_AndTheRestGetThrough()
    {
        // mosquitto drops a client that sends a packet over max_packet_size, every time it is sent again.
        await using var strict = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { MaxPacketSize = 2048 });
        await using var recorder = await MessageRecorder.StartAsync(strict, "size/#");
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = MqttTestOptions.For(strict),
            MinReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxDeliveryAttempts = 3,
        });
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        var poison = client.PublishAsync(new MqttMessage("size/big", new byte[4096], MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        var healthy = client.PublishAsync(MqttMessage.FromString("size/small", "fits", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => poison.WaitAsync(TimeSpan.FromSeconds(15)));
        await healthy.WaitAsync(TimeSpan.FromSeconds(15));
        await recorder.WaitForAsync("size/small", "fits", TimeSpan.FromSeconds(10));
        Assert.Equal(3, strict.Log.Split('\n').Count(l => l.Contains("disconnected due to oversize packet", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StopAsync_Completes_WhileAHandlerAwaitsAPublishThatCannotBeDelivered()
    {
        // A handler that answers a message by publishing at QoS 1 and awaiting it (as a device simulator or a bridge
        // does) must not hold the stop up for ever: the stop fails the undelivered publish, and the handler ends.
        await using var client = NewManaged(MqttTestOptions.For(_broker), reconnect: SlowReconnect);
        var brokerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerPublish = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.SubscribeAsync("cmd", MqttQualityOfService.AtLeastOnce, async (_, _) =>
        {
            await brokerGone.Task;
            var reply = client.PublishAsync(MqttMessage.FromString("reply", "r", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
            handlerPublish.TrySetResult(reply);
            await reply;
        }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("cmd", "go", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await _broker.StopAsync();
        await Eventually.TrueAsync(() => !client.IsConnected, TimeSpan.FromSeconds(10), "the client to notice");
        brokerGone.SetResult();
        var reply = await handlerPublish.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await client.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => reply);
    }

    [Fact]
    public async Task PublishAsync_AfterTheClientWasStopped_FailsAtOnce()
    {
        var client = await ConnectedAsync(MqttTestOptions.For(_broker));
        await client.StopAsync(CancellationToken.None);

        var late = client.PublishAsync(MqttMessage.FromString("late", "x", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

        await Assert.ThrowsAsync<MqttConnectionClosedException>(() => late.WaitAsync(TimeSpan.FromSeconds(10)));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task SubscribeAsync_RunsEveryHandler_WhenTwoSubscribeToTheSameFilter()
    {
        var received = new List<string>();
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.SubscribeAsync("shared/+", MqttQualityOfService.AtLeastOnce, Record("first"), CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());
        await client.SubscribeAsync("shared/+", MqttQualityOfService.AtMostOnce, Record("second"), MqttTestOptions.Within());

        await client.PublishAsync(MqttMessage.FromString("shared/a", "1", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await Eventually.TrueAsync(() => { lock (received) { return received.Count == 2; } }, TimeSpan.FromSeconds(10), () => string.Join(", ", received));
        lock (received)
        {
            Assert.Equal(["first:1", "second:1"], received);
        }

        MqttMessageHandler Record(string name) => (m, _) =>
        {
            lock (received)
            {
                received.Add($"{name}:{m.PayloadAsString()}");
            }

            return ValueTask.CompletedTask;
        };
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotStopLaterMessages()
    {
        var received = new List<string>();
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.SubscribeAsync("boom/#", MqttQualityOfService.AtLeastOnce, (m, _) =>
        {
            lock (received)
            {
                received.Add(m.PayloadAsString());
            }

            return m.PayloadAsString() == "bad" ? throw new InvalidOperationException("handler bug") : ValueTask.CompletedTask;
        }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await client.PublishAsync(MqttMessage.FromString("boom/a", "bad", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("boom/a", "good", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("good"); } }, TimeSpan.FromSeconds(10), "the message after the failure");
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Unsubscribe_StopsDelivery()
    {
        var received = new List<string>();
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.SubscribeAsync("unsub/a", MqttQualityOfService.AtLeastOnce, (m, _) => { lock (received) { received.Add(m.Topic); } return ValueTask.CompletedTask; }, CancellationToken.None);
        await client.SubscribeAsync("unsub/b", MqttQualityOfService.AtLeastOnce, (m, _) => { lock (received) { received.Add(m.Topic); } return ValueTask.CompletedTask; }, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await client.UnsubscribeAsync("unsub/a", MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("unsub/a", "1", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await client.PublishAsync(MqttMessage.FromString("unsub/b", "2", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("unsub/b"); } }, TimeSpan.FromSeconds(10), "unsub/b");
        lock (received)
        {
            Assert.Equal(["unsub/b"], received);
        }
    }

    [Fact]
    public async Task SecondClient_SeesExactlyWhatWasPublished()
    {
        var messages = new (string Topic, byte[] Payload, bool Retain)[]
        {
            ("exact/text", Encoding.UTF8.GetBytes("{\"state\":\"online\",\"ümlaut\":\"ö\"}"), false),
            ("exact/binary", [0x00, 0xFF, 0x10, 0x80, 0x7F], false),
            ("exact/empty-ish", Encoding.UTF8.GetBytes(" "), false),
            ("exact/large", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray(), false),
        };
        var subscriber = ProcessRunner.RunAsync(
            "mosquitto_sub",
            ["-h", _broker.Host, "-p", $"{_broker.Port}", "-u", _broker.Username, "-P", _broker.Password, "-t", "exact/#", "-q", "1", "-C", $"{messages.Length}", "-F", "%t|%q|%x", "-i", "independent-sub"],
            TimeSpan.FromSeconds(20));
        await using var client = NewManaged(MqttTestOptions.For(_broker));
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());
        await Eventually.TrueAsync(() => _broker.Log.Contains("independent-sub 1 exact/#", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "mosquitto_sub's subscription");

        foreach (var (topic, payload, retain) in messages)
        {
            await client.PublishAsync(new MqttMessage(topic, payload, MqttQualityOfService.AtLeastOnce, retain), MqttTestOptions.Within());
        }

        var (code, output) = await subscriber;
        Assert.Equal(0, code);
        var expected = messages.Select(m => $"{m.Topic}|1|{Convert.ToHexString(m.Payload).ToLowerInvariant()}");
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<ManagedMqttClient> ConnectedAsync(MqttClientOptions options)
    {
        var client = NewManaged(options);
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());
        return client;
    }

    /// <summary>Why the first connection attempt failed.</summary>
    private static async Task<Exception> FirstFailureAsync(MqttClientOptions options)
    {
        await using var client = NewManaged(options, reconnect: TimeSpan.FromMinutes(1));
        await client.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => client.LastError is not null, TimeSpan.FromSeconds(10), "a failed attempt");
        return client.LastError!;
    }

    private static ManagedMqttClient NewManaged(MqttClientOptions options, MqttMessage? birth = null, int maxOfflineQueue = 1000, TimeSpan? reconnect = null) =>
        new(MqttTestOptions.Managed(options, birth, maxOfflineQueue, reconnect));

    // Long enough for a recorder to subscribe to the restarted broker before the client comes back and flushes.
    private static readonly TimeSpan SlowReconnect = TimeSpan.FromSeconds(3);

    private MqttClientOptions TlsOptions(MqttTlsOptions tls) => new()
    {
        Host = _broker.Host,
        Port = _broker.TlsPort!.Value,
        ClientId = "tls-" + Guid.NewGuid().ToString("N")[..6],
        Username = _broker.Username,
        Password = _broker.Password,
        Tls = tls,
    };

    private async Task<MessageRecorder> StartAgainAndRecord(string filter)
    {
        await _broker.StartAgainAsync();
        return await MessageRecorder.StartAsync(_broker, filter);
    }

    /// <summary>A fake clock that also tells which waits were asked of it, so a test can see the back-off chosen.</summary>
    private sealed class TimerRecordingTimeProvider : Microsoft.Extensions.Time.Testing.FakeTimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _dueTimes = new();

        public IReadOnlyCollection<TimeSpan> DueTimes => _dueTimes;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _dueTimes.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
