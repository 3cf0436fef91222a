using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task Publisher_ShowsAStaleProblem_WhenTheDeviceTurnedStaleWhileABatchAwaitedItsAcknowledgement()
    {
        const string State = "tasmo_guardian/device/a1b2c3d4e5f6/state";
        var seen = 0;
        await using var broker = new ScriptedBroker(p => p.Type == ScriptedPacket.Publish && p.Topic == State && Interlocked.Increment(ref seen) == 1
            ? ScriptedAnswer.Withhold
            : ScriptedAnswer.Acknowledge);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var mqtt = new MqttSettings(broker.Host, broker.Port, "guardian", "secret", false, "the test");
        var options = GuardianApp.DefaultOptions(_folder) with { StaleDays = 7 };
        await using var app = await GuardianApp.StartAsync(mqtt, _folder, options, time: clock);
        await Eventually.TrueAsync(() => broker.Published("tasmo_guardian/hub/state").Count >= 1, Waits.Short, "the start-up publish");

        // Found now, never backed up: stale in 7 days. Its first state waits for an acknowledgement that never comes,
        // and the 7 days pass while it waits (the clock ends that wait too).
        await app.Get<DeviceRegistry>().ApplyAsync(new DeviceObservation(Mac.Parse("A1B2C3D4E5F6"), DeviceType.Tasmota) { Name = "Plug", NameSource = NameSource.DeviceName, Ip = "10.0.0.2" }, CancellationToken.None);
        await Eventually.TrueAsync(() => broker.Published(State).Count == 1, Waits.Short, "the device's first state");
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => broker.Published(State).Any(p => (bool?)JsonNode.Parse(p.PayloadText)!["problem"] == true), Waits.Short, () => string.Join("\n", broker.Published(State).Select(p => p.PayloadText)));
    }
}
