using System.Text.Json.Nodes;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>WLED 0.13 to 16 against a fake that answers from each release's own answers.</summary>
public sealed class WledTests : FileKindTestContext
{
    [Fact]
    public async Task EveryRelease_IsIdentifiedBackedUpAndRestored_AndAllBehindOneAccessPointAreEachTheirOwn()
    {
        var strips = FakeWled.Firmwares.Select(f => Own(FakeWled.Start(f))).ToList();
        foreach (var strip in strips)
        {
            (strip.Name, strip.Bssid, strip.RestartTime) = ($"Strip {strip.Version}", "82:22:1D:9A:7F:66", TimeSpan.FromMilliseconds(500));
        }

        await using var app = await StartWithAsync([.. strips.Select(s => new DeviceOption(s.Host, DeviceType.Wled, null, null))]);
        foreach (var strip in strips)
        {
            var config = Json(await WaitForConfigAsync(strip.Mac));
            Assert.Equal((strip.Name, strip.Version), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));
        }

        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == strips.Count, "every strip, each by its own MAC");
        foreach (var strip in strips)
        {
            var backup = await BackUpAsync(strip.Mac);
            Assert.EndsWith($"-v{strip.Version}.zip", backup, StringComparison.Ordinal);
            var entries = Entries(backup);
            Assert.Equal(strip.Config, entries["cfg.json"]);
            Assert.Equal(strip.Presets, entries["presets.json"]);
            Assert.Equal(strip.Mac, (string?)JsonNode.Parse(entries["info.json"])!["mac"]);

            var original = strip.Config;
            var renamed = JsonNode.Parse(strip.Config)!;
            renamed["id"]!["name"] = "Renamed";
            strip.Config = System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(renamed));
            strip.Presets = FirmwareFixtures.Bytes("wled/wled_presets_0.15.0_empty.json");

            var done = await RestoreAsync(strip.Mac, backup);

            Assert.True((string?)done["event_type"] == "restore_succeeded", $"{strip.Version}: {done["reason"]}");
            Assert.Equal(original, strip.Config);
            Assert.Equal(entries["presets.json"], strip.Presets);
            Assert.Equal(1, strip.Restarts);
        }
    }

    [Fact]
    public async Task ADeviceWithoutAMac_IsListedOnTheHub_SayingWhereTheMacWasLookedFor()
    {
        // The 0.13.3 capture as it was published: its MAC zeroed, which is no device's.
        await using var device = new FakeHttpServer(LoopbackAddresses.Next(), 80, e => e.RespondAsync(200, "application/json", FirmwareFixtures.Bytes("wled/wled_json_info_0.13.3_esp8266.json")));
        await using var app = await StartWithAsync(device.HostAndPort, DeviceType.Wled, null);

        Assert.Equal("/json/info has no MAC at \"mac\"", await UnidentifiedReasonAsync(device.HostAndPort));
    }
}
