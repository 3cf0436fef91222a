using System.IO.Compression;
using System.Text.Json.Nodes;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Shelly devices, given by host or announcing themselves, against fakes that behave like Gen1 and Gen2+ firmware.</summary>
public sealed class ShellyBackupTests : IntegrationContext
{
    [Fact]
    public async Task Gen2_WithAPassword_IsBackedUpWholeThroughDigest_ScriptsInChunks_KvsInPages()
    {
        var shelly = Own(FakeShelly.Start());
        (shelly.Password, shelly.ChunkSize, shelly.WithoutSchedules) = ("s3cret", 200, true);
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, "s3cret")] };
        await using var app = await StartAppAsync(options);
        var config = Json(await WaitForConfigAsync(shelly.Mac));
        Assert.Equal(("Boiler relay", "Shelly"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"]));
        Assert.Null(config["components"]!["restore"]);

        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);

        var done = await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] is "backup_succeeded" or "backup_failed", "the Shelly backup");
        Assert.Equal("backup_succeeded", (string?)Json(done)["event_type"]);
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, (string)Json(done)["file"]!));
        Assert.Equal(["Shelly.GetConfig.json", "scripts/1_heating.js", "scripts/3_night_light.js", "KVS.GetMany.json", "Webhook.List.json", "Shelly.GetDeviceInfo.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(shelly.Scripts[1].Code, Text(zip, "scripts/1_heating.js"));
        Assert.True(shelly.Scripts[1].Code.Length > 10 * 200, "the script needs many chunks");
        Assert.Equal(5, JsonNode.Parse(Text(zip, "KVS.GetMany.json"))!["items"]!.AsArray().Count);
        Assert.Equal("1.4.4", Sql.Query(Folder.Database, "SELECT version FROM backups").Single()["version"]);

        // Every protected call answered the device's Digest challenge; no Basic header ever carried the password.
        Assert.All(shelly.Requests.Where(r => r.Path.StartsWith("/rpc/", StringComparison.Ordinal) && r.Path != "/rpc/Shelly.GetDeviceInfo" && r.Header("Authorization") is not null),
            r => Assert.StartsWith("Digest ", r.Header("Authorization"), StringComparison.Ordinal));
        Assert.DoesNotContain(shelly.Requests, r => r.Header("Authorization")?.StartsWith("Basic", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("WrongPassword", "wrong password (HTTP 401)")]
    [InlineData("HtmlWith200", "Shelly.GetConfig is a web page, not the device's data")]
    [InlineData("TruncatedJson", "Shelly.GetConfig is not valid JSON")]
    [InlineData("ScriptStopsShort", "Shelly script 1 `heating.js` came back shorter than the device reported")]
    public async Task Gen2_ThatFailsAPart_SavesNothing_AndNamesThePart(string behavior, string reason)
    {
        var shelly = Own(FakeShelly.Start());
        shelly.Password = "s3cret";
        if (behavior != "WrongPassword")
        {
            shelly.Behavior = Enum.Parse<ShellyBehavior>(behavior);
        }

        var password = behavior == "WrongPassword" ? "guess" : "s3cret";
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, password)] };
        await using var app = await StartAppAsync(options);
        await WaitForConfigAsync(shelly.Mac);

        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);

        var failed = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] is "backup_succeeded" or "backup_failed", "the Shelly backup"));
        Assert.Equal("backup_failed", (string?)failed["event_type"]);
        Assert.StartsWith(reason, (string?)failed["reason"], StringComparison.Ordinal);
        Assert.Empty(Folder.BackupFiles());
    }

    [Fact]
    public async Task Gen1_GivenAsShelly_IsToldApartByGen_AndBackedUpWithBasicAuth()
    {
        var shelly = Own(FakeShelly.Start(generation: 1));
        shelly.Password = "relay-pass";
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, "relay-pass")] };
        await using var app = await StartAppAsync(options);
        await WaitForConfigAsync(shelly.Mac);
        Assert.Equal(DeviceType.ShellyGen1, app.Get<DeviceRegistry>().Find(Mac.Parse(shelly.Mac))!.Type);

        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);

        var done = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] is "backup_succeeded" or "backup_failed", "the Gen1 backup"));
        Assert.Equal("backup_succeeded", (string?)done["event_type"]);
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, (string)done["file"]!));
        Assert.Equal(["settings.json", "settings_actions.json", "shelly.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(2, Sql.Scalar(Folder.Database, "SELECT type FROM devices"));
    }

    [Fact]
    public async Task ShellysThatAnnounceThemselves_AppearWithoutTypingAnAddress_AndAreBackedUp()
    {
        var gen1 = Own(FakeShelly.Start(generation: 1));
        var gen2 = Own(FakeShelly.Start());
        await gen1.ConnectAsync(Broker);
        await gen2.ConnectAsync(Broker);
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false });

        await WaitForConfigAsync(gen1.Mac);
        await WaitForConfigAsync(gen2.Mac);
        var registry = app.Get<DeviceRegistry>();
        await Eventually.TrueAsync(() => registry.Find(Mac.Parse(gen2.Mac))?.Ip == gen2.Address.ToString(), Waits.Long, "the Gen2's address from WiFi.GetStatus");
        Assert.Equal((DeviceType.ShellyGen1, gen1.Address.ToString()), (registry.Find(Mac.Parse(gen1.Mac))!.Type, registry.Find(Mac.Parse(gen1.Mac))!.Ip));
        Assert.Equal(("Boiler relay", DeviceType.ShellyGen2), (registry.Find(Mac.Parse(gen2.Mac))!.Name, registry.Find(Mac.Parse(gen2.Mac))!.Type));

        await PressAsync("tasmo_guardian/hub/backup_all");

        var finished = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the run"));
        Assert.Equal(2, (int)finished["backed_up"]!);
    }

    [Fact]
    public async Task ARestoreOfAShelly_IsRefusedWithAReason_AndTouchesNothing()
    {
        var shelly = Own(FakeShelly.Start());
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, null)] };
        await using var app = await StartAppAsync(options);
        await WaitForConfigAsync(shelly.Mac);
        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);
        await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_succeeded", "the backup");
        var requests = shelly.Requests.Count;

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{shelly.Mac}}"}""");

        var failed = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "restore_failed", "the refusal"));
        Assert.StartsWith("Shelly devices cannot be restored by Tasmo Guardian:", (string?)failed["reason"], StringComparison.Ordinal);
        Assert.Equal(requests, shelly.Requests.Count);
    }

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private Task<TasmoGuardian.Mqtt.MqttMessage> WaitForConfigAsync(string mac) =>
        WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{mac.ToLowerInvariant()}/config", c => c["device"] is not null, $"the config of {mac}");
}
