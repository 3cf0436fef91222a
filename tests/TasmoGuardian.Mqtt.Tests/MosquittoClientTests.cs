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
    public async Task Connect_Succeeds_WithTheRightCredentials()
    {
        await using var connection = await Connect(MqttTestOptions.For(_broker));

        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task Connect_IsRefusedClearly_WithoutCredentials()
    {
        var options = new MqttClientOptions { Host = _broker.Host, Port = _broker.Port, ClientId = "anonymous" };

        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => Connect(options));

        Assert.Equal(MqttConnectReturnCode.NotAuthorized, ex.ReturnCode);
        Assert.True(ex.IsPermanent);
        Assert.Contains("not authorized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_Succeeds_WithoutCredentials_WhenTheBrokerAllowsAnonymous()
    {
        await using var open = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { AllowAnonymous = true });
        var options = new MqttClientOptions { Host = open.Host, Port = open.Port, ClientId = "anonymous" };

        await using var connection = await Connect(options);

        Assert.False(connection.IsClosed);
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
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        await using var managed = new ManagedMqttClient(
            new ManagedMqttClientOptions { Client = client, MinReconnectDelay = TimeSpan.FromMilliseconds(10), MaxReconnectDelay = TimeSpan.FromSeconds(30) },
            logs.CreateLogger<ManagedMqttClient>(),
            clock);

        await managed.StartAsync(CancellationToken.None);

        // Parked on the clock until the next attempt: a refused login waits the longest delay, not the shortest.
        await Eventually.TrueAsync(() => managed.LastError is not null && clock.ArmedTimers == 1, TimeSpan.FromSeconds(10), "a refused attempt and the wait after it");
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(30), clock.NextTimerDue);
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
    public async Task Tls_Connects_WhenTheBrokersCaIsTrusted()
    {
        var options = TlsOptions(new MqttTlsOptions { TrustedCaCertificate = _broker.Certificates!.Ca });

        await using var connection = await Connect(options);
        await connection.PublishAsync(MqttMessage.FromString("tls/check", "ok", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task Tls_Connects_WhenUntrustedCertificatesAreAllowed()
    {
        await using var connection = await Connect(TlsOptions(new MqttTlsOptions { AllowUntrustedCertificates = true }));

        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task Tls_Fails_WhenTheCertificateIsNotTrusted() =>
        await Assert.ThrowsAsync<AuthenticationException>(() => Connect(TlsOptions(new MqttTlsOptions())));

    [Fact]
    public async Task Tls_Fails_WhenTheHostNameDoesNotMatch_EvenWithTheCa() =>
        await Assert.ThrowsAsync<AuthenticationException>(() => Connect(TlsOptions(new MqttTlsOptions { TrustedCaCertificate = _broker.Certificates!.Ca, TargetHost = "broker.example" })));

    [Fact]
    public async Task RetainedMessage_IsDelivered_ToALaterSubscriber()
    {
        await using (var publisher = await Connect(MqttTestOptions.For(_broker)))
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
        var connection = await Connect(options);

        connection.Abort();

        var will = await recorder.WaitForAsync("will/status", "offline", TimeSpan.FromSeconds(10));
        Assert.Equal("offline", will.PayloadAsString());
    }

    [Fact]
    public async Task Will_IsNotDelivered_AfterACleanDisconnect()
    {
        await using var recorder = await MessageRecorder.StartAsync(_broker, "will/#");
        var options = MqttTestOptions.For(_broker, will: MqttMessage.FromString("will/status", "offline", MqttQualityOfService.AtLeastOnce));
        var connection = await Connect(options);
        await connection.PublishAsync(MqttMessage.FromString("will/status", "bye", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());

        await connection.DisconnectAsync(MqttTestOptions.Within());
        await recorder.WaitForAsync("will/status", "bye", TimeSpan.FromSeconds(10));
        await recorder.Client.PublishAsync(MqttMessage.FromString("will/marker", "after", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await recorder.WaitForAsync("will/marker", "after", TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(recorder.Messages, m => m.PayloadAsString() == "offline");
        Assert.Null(await connection.Completion);
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
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await _broker.StopAsync();
        await Eventually.TrueAsync(() => !client.IsConnected, TimeSpan.FromSeconds(10), "the client to notice");
        var queued = client.PublishAsync(MqttMessage.FromString("restart/out", "while-offline", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        Assert.False(queued.IsCompleted);
        await using var recorder = await StartAgainAndRecord("restart/#");

        await queued.WaitAsync(TimeSpan.FromSeconds(15));
        await recorder.WaitForAsync("restart/status", "online", TimeSpan.FromSeconds(10));
        await recorder.WaitForAsync("restart/out", "while-offline", TimeSpan.FromSeconds(10));
        await recorder.Client.PublishAsync(MqttMessage.FromString("restart/in", "after-restart", MqttQualityOfService.AtLeastOnce), MqttTestOptions.Within());
        await Eventually.TrueAsync(() => { lock (received) { return received.Contains("after-restart"); } }, TimeSpan.FromSeconds(10), "the restored subscription");
        Assert.Equal(2, Volatile.Read(ref connects));
    }

    [Fact]
    public async Task OfflineQueue_DropsTheOldest_WhenFull_AndKeepsOrder()
    {
        await using var client = NewManaged(MqttTestOptions.For(_broker), maxOfflineQueue: 3, reconnect: SlowReconnect);
        await _broker.StopAsync();
        await client.StartAsync(CancellationToken.None);

        var publishes = Enumerable.Range(1, 5).Select(i => client.PublishAsync(MqttMessage.FromString("queue/x", $"m{i}", MqttQualityOfService.AtLeastOnce), CancellationToken.None)).ToList();
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => publishes[0]);
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => publishes[1]);
        Assert.Equal(3, client.OfflineQueueLength);

        await using var recorder = await StartAgainAndRecord("queue/#");
        await Task.WhenAll(publishes.Skip(2)).WaitAsync(TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => recorder.Messages.Count == 3, TimeSpan.FromSeconds(10), () => recorder.Summary());

        Assert.Equal(["m3", "m4", "m5"], recorder.Messages.Select(m => m.PayloadAsString()));
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
    public async Task IdleConnection_StaysUp_ThanksToPings()
    {
        var options = new MqttClientOptions
        {
            Host = _broker.Host,
            Port = _broker.Port,
            ClientId = "idle",
            Username = _broker.Username,
            Password = _broker.Password,
            KeepAlive = TimeSpan.FromSeconds(1),
        };
        await using var connection = await Connect(options);

        // mosquitto drops a client silent for 1.5 keep-alive periods; three pings in a row on an open connection prove them.
        await Eventually.TrueAsync(() => connection.PingsSent >= 3 || connection.IsClosed, TimeSpan.FromSeconds(15), "three pings");

        Assert.False(connection.IsClosed, connection.IsClosed ? (await connection.Completion)?.ToString() : null);
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

    private static Task<MqttConnection> Connect(MqttClientOptions options) =>
        MqttConnection.ConnectAsync(options, (_, _) => ValueTask.CompletedTask, null, null, MqttTestOptions.Within());

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
}
