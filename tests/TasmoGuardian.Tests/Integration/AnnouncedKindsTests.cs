using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>OpenDTU, openHASP, Awtrix and AI-on-the-Edge found by what they publish over MQTT, behind announce_discovery.</summary>
public sealed class AnnouncedKindsTests : IntegrationContext
{
    [Fact]
    public async Task DevicesThatAnnounceThemselves_AreFound_AndBackedUp_WithoutBeingConfigured()
    {
        var dtu = Own(FakeOpenDtu.Start());
        var plate = Own(FakeOpenHasp.Start());
        var clock = Own(FakeAwtrix.Start());
        var meter = Own(FakeAiOnTheEdge.Start());
        await PublishAsync("solar/dtu/ip", dtu.Ip, retain: true);
        await PublishAsync($"hasp/discovery/{plate.Hwid}", plate.Discovery(), retain: true);
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);

        // Noise on the same wildcards: another device's stats, a broken announcement, a topic that is not an IP.
        await PublishAsync("weather/stats", """{"temp":3}""", retain: true);
        await PublishAsync("hasp/discovery/broken", "{not json", retain: true);
        await PublishAsync("other/dtu/ip", "not an address", retain: true);

        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = true };
        await using var app = await StartAppAsync(options);
        await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/status", Waits.Long, "online");
        await PublishAsync("awtrix_clock/stats", clock.Stats());

        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 4, "the four announced devices");
        var registry = app.Get<DeviceRegistry>();
        Assert.Equal(
            [DeviceType.OpenDtu, DeviceType.AiOnTheEdge, DeviceType.Awtrix, DeviceType.OpenHasp],
            new[] { dtu.Mac, meter.Mac, "024157" + clock.Mac[^6..], plate.Mac }.Select(m => registry.Find(Mac.Parse(m))!.Type));

        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM runs") == 1, Waits.Long, () => app.LogText());
        Assert.Equal(4L, Sql.Scalar(Folder.Database, "SELECT backed_up FROM runs"));
        Assert.Contains("Ignored an announcement on other/dtu/ip", app.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnnouncedDeviceThatNeverAnswers_DoesNotHoldUpOtherMessages()
    {
        // An address that accepts the connection and then says nothing, as a hung ESP does, for longer than any wait here.
        await using var hung = new FakeHttpServer(LoopbackAddresses.Next(), 80, exchange => Task.Delay(Timeout.Infinite, exchange.CancellationToken));
        var dtu = Own(FakeOpenDtu.Start());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            AnnounceDiscovery = true,
            RequestTimeoutSeconds = 120,
            Devices = [new TasmoGuardian.Configuration.DeviceOption(dtu.Host, DeviceType.OpenDtu, "Balcony", null)],
        };
        await using var app = await StartAppAsync(options);
        await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{dtu.Mac}/config", c => c["device"] is not null, "the configured OpenDTU");

        await PublishAsync("solar/dtu/ip", hung.EndPoint.Address.ToString());
        await Eventually.TrueAsync(() => hung.Requests.Count > 0, Waits.Short, "the hung address to be asked");
        await PressAsync($"tasmo_guardian/device/{dtu.Mac}/backup");

        await Eventually.TrueAsync(() => Events("backup_succeeded").Count == 1, Waits.Short, () => Recorder.Summary());
    }
}
