namespace TasmoGuardian.Mqtt.Tests;

/// <summary>Options that cannot work are refused when the client is made, naming the option.</summary>
public sealed class OptionsValidationTests
{
    public static TheoryData<ManagedMqttClientOptions, string> Invalid => new()
    {
        { new ManagedMqttClientOptions(), "Give exactly one of Client and ClientFactory." },
        { new ManagedMqttClientOptions { Client = Client(), ClientFactory = (_, _) => ValueTask.FromResult(Client()) }, "Give exactly one of Client and ClientFactory." },
        { new ManagedMqttClientOptions { Client = Client() with { Host = " " } }, "Host must name the broker." },
        { new ManagedMqttClientOptions { Client = Client() with { Port = 0 } }, "Port must be between 1 and 65535." },
        { new ManagedMqttClientOptions { Client = Client() with { ClientId = new string('x', 24) } }, "ClientId must have 1 to 23 characters." },
        { new ManagedMqttClientOptions { Client = Client() with { Password = "secret" } }, "Password needs a user name (MQTT 3.1.1, 3.1.2.9)." },
        { new ManagedMqttClientOptions { Client = Client() with { KeepAlive = TimeSpan.FromDays(1) } }, "KeepAlive must be between 0 and 65535 s." },
        { new ManagedMqttClientOptions { Client = Client() with { Will = MqttMessage.FromString("a/#", "x") } }, "Will: 'a/#' is not a valid topic name." },
        { new ManagedMqttClientOptions { Client = Client(), MinReconnectDelay = TimeSpan.Zero }, "MinReconnectDelay must be positive." },
        { new ManagedMqttClientOptions { Client = Client(), MaxReconnectDelay = TimeSpan.FromMilliseconds(1) }, "MaxReconnectDelay must not be shorter than MinReconnectDelay." },
        { new ManagedMqttClientOptions { Client = Client(), MaxOfflineQueue = 0 }, "MaxOfflineQueue must be at least 1." },
        { new ManagedMqttClientOptions { Client = Client(), MaxInFlight = 0 }, "MaxInFlight must be at least 1." },
        { new ManagedMqttClientOptions { Client = Client(), MaxDeliveryAttempts = 0 }, "MaxDeliveryAttempts must be at least 1." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Constructor_ThrowsArgumentException_NamingTheOption(ManagedMqttClientOptions options, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new ManagedMqttClient(options));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_AcceptsTheDefaults()
    {
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions { Client = Client() });

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task StartAsync_HonoursACancelledToken()
    {
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions { Client = Client() });

        await Assert.ThrowsAsync<OperationCanceledException>(() => client.StartAsync(new CancellationToken(canceled: true)));
    }

    private static MqttClientOptions Client() => new() { Host = "localhost", ClientId = "valid" };
}
