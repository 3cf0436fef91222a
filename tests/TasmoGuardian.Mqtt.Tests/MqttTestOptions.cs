using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests;

internal static class MqttTestOptions
{
    public static MqttClientOptions For(MosquittoBroker broker, string? clientId = null, MqttMessage? will = null) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ClientId = clientId ?? "test-" + Guid.NewGuid().ToString("N")[..10],
        Username = broker.Username,
        Password = broker.Password,
        Will = will,
    };

    public static ManagedMqttClientOptions Managed(MqttClientOptions client, MqttMessage? birth = null, int maxOfflineQueue = 1000, TimeSpan? reconnect = null) => new()
    {
        Client = client,
        BirthMessage = birth,
        MinReconnectDelay = reconnect ?? TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = reconnect * 2 ?? TimeSpan.FromMilliseconds(500),
        MaxOfflineQueue = maxOfflineQueue,
    };

    public static CancellationToken Within(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
