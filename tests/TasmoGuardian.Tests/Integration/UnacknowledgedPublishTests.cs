using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// A retained state the broker never acknowledged has not been published: the next time it is due it goes out again.
/// mosquitto acknowledges everything, so this runs against <see cref="ScriptedBroker"/>.
/// </summary>
public sealed class UnacknowledgedPublishTests : IDisposable
{
    private const string HubState = "tasmo_guardian/hub/state";

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Publisher_SendsAStateAgain_WhenTheBrokerNeverAcknowledgedIt()
    {
        var seen = 0;
        await using var broker = new ScriptedBroker(p => p.Type == ScriptedPacket.Publish && p.Topic == HubState && Interlocked.Increment(ref seen) == 1
            ? ScriptedAnswer.Withhold
            : ScriptedAnswer.Acknowledge);
        var mqtt = new MqttSettings(broker.Host, broker.Port, "guardian", "secret", false, "the test");
        var settings = new PublisherSettings { BirthDelayMin = TimeSpan.FromMilliseconds(20), BirthDelayMax = TimeSpan.FromMilliseconds(60), AcknowledgementWait = TimeSpan.FromMilliseconds(300) };
        await using var app = await GuardianApp.StartAsync(mqtt, _folder, services: s => s.AddSingleton(settings));
        await Eventually.TrueAsync(() => broker.Published(HubState).Count == 1, Waits.Short, "the hub's state");

        // Nothing about the hub changed, but the publisher looks at it again: a state it believes sent is skipped.
        app.Get<HomeAssistantPublisher>().SelectionChanged(Mac.Parse("A1B2C3D4E5F6"));

        await Eventually.TrueAsync(() => broker.Published(HubState).Count == 2, Waits.Long, () => string.Join(", ", broker.Received.Select(p => p.Topic ?? $"type {p.Type}")));
        Assert.Equal(broker.Published(HubState)[0].PayloadText, broker.Published(HubState)[1].PayloadText);
        Assert.Equal(1, broker.Connections);
    }
}
