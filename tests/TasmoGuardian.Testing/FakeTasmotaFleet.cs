using System.Text;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Testing;

/// <summary>
/// The MQTT side of many fake Tasmota devices through one connection: retained discovery, answers to the group
/// topic's STATUS request (STATUS5 then STATUS2 on each device's stat topic), LWT and INFO telemetry; every payload
/// is the device's own (<see cref="FakeTasmota"/>), from the fixtures of its shape.
/// </summary>
public sealed class FakeTasmotaFleet : IAsyncDisposable
{
    private readonly ManagedMqttClient _client;
    private readonly List<FakeTasmota> _devices = [];
    private readonly List<string> _deviceRequests = [];
    private int _statusRequests;

    private FakeTasmotaFleet(ManagedMqttClient client)
    {
        _client = client;
    }

    public int StatusRequests => Volatile.Read(ref _statusRequests);

    /// <summary>STATUS commands sent to one device's own topic, as "topic payload".</summary>
    public IReadOnlyList<string> DeviceStatusRequests
    {
        get
        {
            lock (_deviceRequests)
            {
                return [.. _deviceRequests];
            }
        }
    }

    public static Task<FakeTasmotaFleet> StartAsync(MosquittoBroker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return StartAsync(broker.Host, broker.Port, broker.Username, broker.Password);
    }

    /// <summary>The fleet on any broker (the demo's, on localhost:1883 without a login).</summary>
    public static async Task<FakeTasmotaFleet> StartAsync(string host, int port, string? username, string? password)
    {
        var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions
            {
                Host = host,
                Port = port,
                ClientId = "fleet-" + Guid.NewGuid().ToString("N")[..8],
                Username = username,
                Password = password,
            },
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            MaxOfflineQueue = 100_000,
        });
        var fleet = new FakeTasmotaFleet(client);
        await client.SubscribeAsync("cmnd/+/STATUS", MqttQualityOfService.AtMostOnce, fleet.OnStatusCommandAsync, CancellationToken.None);
        await client.SubscribeAsync("+/cmnd/STATUS", MqttQualityOfService.AtMostOnce, fleet.OnStatusCommandAsync, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.WaitUntilConnectedAsync(cts.Token);
        return fleet;
    }

    public void Add(FakeTasmota device)
    {
        lock (_devices)
        {
            _devices.Add(device);
        }
    }

    public Task PublishDiscoveryAsync(FakeTasmota device) =>
        Publish($"tasmota/discovery/{device.Mac}/config", device.DiscoveryEnabled ? device.DiscoveryPayload() : string.Empty, retain: true);

    public Task PublishAsync(string topic, string payload, bool retain = false) => Publish(topic, payload, retain);

    public Task PublishLwtAsync(FakeTasmota device, bool online) =>
        Publish(Topic(device, "tele", "LWT"), online ? "Online" : "Offline", retain: true);

    /// <summary>INFO1 as the device's shape publishes it at its first connection (bare up to 9.3.1, wrapped since 9.4.0).</summary>
    public Task PublishInfo1Async(FakeTasmota device) => Publish(Topic(device, "tele", "INFO1"), device.Info1Payload(), retain: false);

    /// <summary>INFO2: the device's host name and address, and its Ethernet port's (11.0 and later ESP32 with Ethernet).</summary>
    public Task PublishInfo2Async(FakeTasmota device) => Publish(Topic(device, "tele", "INFO2"), device.Info2Payload(), retain: false);

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    public static string Topic(FakeTasmota device, string prefix, string suffix) =>
        device.FullTopic.Replace("%prefix%", prefix, StringComparison.Ordinal).Replace("%topic%", device.Topic, StringComparison.Ordinal) + suffix;

    private Task Publish(string topic, string payload, bool retain) =>
        _client.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain), CancellationToken.None);

    private async ValueTask OnStatusCommandAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        // cmnd/<topic>/STATUS or <topic>/cmnd/STATUS: the group topic "tasmotas" reaches every device, any other one
        // reaches the device with that topic.
        var levels = message.Topic.Split('/');
        var target = levels[0] == "cmnd" ? levels[1] : levels[0];
        var which = message.PayloadAsString().Trim();
        List<FakeTasmota> devices;
        lock (_devices)
        {
            devices = [.. _devices];
        }

        if (target == "tasmotas")
        {
            Interlocked.Increment(ref _statusRequests);
        }
        else
        {
            lock (_deviceRequests)
            {
                _deviceRequests.Add($"{message.Topic} {which}");
            }

            devices = devices.Where(d => d.Topic == target).ToList();
        }

        foreach (var device in devices)
        {
            // Only FullTopics with %topic% subscribe to the group topic, as in the firmware.
            if (target == "tasmotas" && !device.FullTopic.Contains("%topic%", StringComparison.Ordinal))
            {
                continue;
            }

            var (suffix, payload) = which switch
            {
                "5" => ("STATUS5", device.Status5Payload()),
                "2" => ("STATUS2", device.Status2Payload()),
                "" => ("STATUS", device.StatusPayload()),
                _ => (string.Empty, (string?)null),
            };
            if (payload is not null)
            {
                await Publish(Topic(device, "stat", suffix), payload, retain: false);
            }
        }
    }
}
