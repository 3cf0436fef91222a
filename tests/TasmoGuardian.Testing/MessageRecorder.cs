using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Testing;

/// <summary>A second MQTT client that records what it sees, for assertions on what the program published.</summary>
public sealed class MessageRecorder : IAsyncDisposable
{
    private readonly List<MqttMessage> _messages = [];
    private readonly ManagedMqttClient _client;

    private MessageRecorder(ManagedMqttClient client)
    {
        _client = client;
    }

    public ManagedMqttClient Client => _client;

    public IReadOnlyList<MqttMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<MessageRecorder> StartAsync(MosquittoBroker broker, string filter = "#", string? clientId = null)
    {
        var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions
            {
                Host = broker.Host,
                Port = broker.Port,
                ClientId = clientId ?? "recorder-" + Guid.NewGuid().ToString("N")[..8],
                Username = broker.Username,
                Password = broker.Password,
            },
            MinReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
        var recorder = new MessageRecorder(client);
        await client.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, recorder.OnMessage, CancellationToken.None);
        await client.StartAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.WaitUntilConnectedAsync(cts.Token);
        return recorder;
    }

    public IReadOnlyList<MqttMessage> On(string topic) => Messages.Where(m => m.Topic == topic).ToList();

    public MqttMessage? Last(string topic) => Messages.LastOrDefault(m => m.Topic == topic);

    public async Task<MqttMessage> WaitForAsync(Func<MqttMessage, bool> predicate, TimeSpan timeout, string what)
    {
        MqttMessage? found = null;
        await Eventually.TrueAsync(() => (found = Messages.FirstOrDefault(predicate)) is not null, timeout, () => $"{what}; seen {Messages.Count} messages: {Summary()}");
        return found!;
    }

    public Task<MqttMessage> WaitForAsync(string topic, string payload, TimeSpan timeout) =>
        WaitForAsync(m => m.Topic == topic && m.PayloadAsString() == payload, timeout, $"'{payload}' on {topic}");

    public void Clear()
    {
        lock (_messages)
        {
            _messages.Clear();
        }
    }

    public string Summary(int max = 40) =>
        string.Join("; ", Messages.TakeLast(max).Select(m => $"{m.Topic}={Truncate(m.PayloadAsString())}"));

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    private static string Truncate(string value) => value.Length > 120 ? value[..120] + "…" : value;

    private ValueTask OnMessage(MqttMessage message, CancellationToken cancellationToken)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return ValueTask.CompletedTask;
    }
}
