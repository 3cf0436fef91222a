using System.Text.Json.Nodes;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>"What changed" for WLED, Shelly Gen2 and a file kind (Awtrix), through the whole program against their fakes.</summary>
public sealed class ChangesOfOtherKindsTests : FileKindTestContext
{
    [Fact]
    public async Task Wled_NamesCfgPaths_AndPresets()
    {
        var strip = Own(FakeWled.Start());
        await using var app = await StartWithAsync(strip.Host, DeviceType.Wled, null);
        await WaitForConfigAsync(strip.Mac);
        await BackUpAsync(strip.Mac);
        await BackUpAsync(strip.Mac);
        Assert.Equal(false, (bool?)Last(strip.Mac)["changed"]);

        strip.Config = Edit(strip.Config, c => c["id"]!["name"] = "Desk");
        strip.Presets = Edit(strip.Presets!, p => p["7"] = new JsonObject { ["n"] = "Evening" });
        await BackUpAsync(strip.Mac);

        Assert.Equal((true, "id.name,presets.json: 7"), ((bool?)Last(strip.Mac)["changed"], Names(Last(strip.Mac)["changes"])));
        await WaitForJsonAsync($"tasmo_guardian/device/{strip.Mac.ToLowerInvariant()}/backup_attributes", a => Names(a["changes"]) == "id.name,presets.json: 7", "the last_backup attributes");
    }

    [Fact]
    public async Task ShellyGen2_NamesSettingsByPath_AndANewScriptByItsFile()
    {
        var shelly = Own(FakeShelly.Start());
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, null)] };
        await using var app = await StartAppAsync(options);
        await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{shelly.Mac.ToLowerInvariant()}/config", c => c["device"] is not null, "the Shelly's config");
        await BackUpAsync(shelly.Mac);
        shelly.SetKvs("counter", JsonValue.Create(1));
        var id = shelly.AddScript("night light", "print('night');");
        shelly.Config["wifi"]!["sta"]!["ssid"] = "upstairs";
        await BackUpAsync(shelly.Mac);

        // Shelly.GetConfig holds each script's own settings (name, enable) as "script:<id>", as the firmware's does.
        Assert.Equal((true, $"wifi.sta.ssid,script:{id},kvs:counter,scripts/{id}_night_light.js"), ((bool?)Last(shelly.Mac)["changed"], Names(Last(shelly.Mac)["changes"])));
    }

    [Fact]
    public async Task Awtrix_NamesANewFile_AndASetting_ButNotTheMatrixSwitchedOff()
    {
        var clock = Own(FakeAwtrix.Start());
        await using var app = await StartWithAsync(clock.Host, DeviceType.Awtrix, null);
        var id = "024157" + clock.Mac[^6..];
        await WaitForConfigAsync(id);
        await BackUpAsync(id);
        clock.Settings["MATP"] = false;
        await BackUpAsync(id);
        Assert.Equal(false, (bool?)Last(id)["changed"]);

        clock.SetFile("ICONS/99.gif", [0x47, 0x49, 0x46, 0x38]);
        clock.Settings["TCOL"] = 0x00FF00;
        await BackUpAsync(id);

        Assert.Equal((true, "TCOL,ICONS/99.gif"), ((bool?)Last(id)["changed"], Names(Last(id)["changes"])));
    }

    private JsonObject Last(string mac) => Events("backup_succeeded").Last(e => (string?)e["mac"] == mac.ToUpperInvariant());

    private static byte[] Edit(byte[] json, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(json)!;
        edit(node);
        return System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(node));
    }

    private static string Names(JsonNode? names) => string.Join(',', names!.AsArray().Select(n => (string?)n));
}
