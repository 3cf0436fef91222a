using TasmoGuardian.Testing;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>
/// Acknowledgements that never come while the connection stays up: mosquitto always answers, so these run against
/// <see cref="ScriptedBroker"/>.
/// </summary>
public sealed class WithheldAcknowledgementTests
{
    [Fact]
    public async Task SubscribeAsync_Fails_AndIsRetriedWithTheNextConnection_WhenNoSubAckComes()
    {
        await using var broker = new ScriptedBroker(p => p.Type == ScriptedPacket.Subscribe && p.Connection == 1 && p.Filters.Contains("never/acked")
            ? ScriptedAnswer.Withhold
            : ScriptedAnswer.Acknowledge);
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "withheld-suback" },
            MinReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(20),
            OperationTimeout = TimeSpan.FromMilliseconds(300),
        });
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(MqttTestOptions.Within());

        await Assert.ThrowsAsync<MqttSubscribeException>(() => client.SubscribeAsync("never/acked", MqttQualityOfService.AtLeastOnce, (_, _) => ValueTask.CompletedTask, MqttTestOptions.Within()));
        broker.Drop();

        await Eventually.TrueAsync(() => broker.Subscriptions("never/acked").Any(p => p.Connection == 2), TimeSpan.FromSeconds(10), () => $"{broker.Connections} connections");
    }
}
