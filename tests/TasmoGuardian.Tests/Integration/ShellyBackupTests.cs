using System.IO.Compression;
using System.Text.Json.Nodes;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Shelly devices, given by host or announcing themselves, against fakes that answer as captured Gen1 and Gen2+ firmware does.</summary>
public sealed class ShellyBackupTests : IntegrationContext
{
    // Each Digest form the firmware sends: 0.x a hex nonce (and KVS as a map), 1.x the unix time, 2.x base64 that a
    // client may use again with a higher nc (and KVS in pages of 11); a Wall Display has no KVS at all (-114).
    [Theory]
    [InlineData("Gen2", null, false)]
    [InlineData("Gen2V0_10", null, false)]
    [InlineData("Gen2", "2.0.0", true)]
    public async Task Gen2_WithAPassword_IsBackedUpWholeThroughDigest_ScriptsInChunks_KvsInPages(string firmware, string? version, bool withoutKvs)
    {
        var shelly = Own(FakeShelly.Start(Shape(firmware)));
        if (version is not null)
        {
            shelly.Version = version;
        }

        (shelly.Password, shelly.ChunkSize, shelly.WithoutSchedules, shelly.WithoutKvs) = ("s3cret", 200, true, withoutKvs);
        for (var i = 0; i < 24; i++)
        {
            shelly.SetKvs($"key{i}", i % 2 == 0 ? JsonValue.Create($"value {i}") : new JsonObject { ["n"] = i });
        }

        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, "s3cret")] };
        await using var app = await StartAppAsync(options);
        var config = Json(await WaitForConfigAsync(shelly.Mac));
        Assert.Equal((shelly.Name ?? shelly.Id, "Shelly"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"]));
        Assert.NotNull(config["components"]!["restore"]);

        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);

        var done = await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] is "backup_succeeded" or "backup_failed", "the Shelly backup");
        Assert.Equal("backup_succeeded", (string?)Json(done)["event_type"]);
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, (string)Json(done)["file"]!));
        string[] kvs = withoutKvs ? [] : ["KVS.GetMany.json"];
        Assert.Equal(["Shelly.GetConfig.json", "scripts/1_my_script.js", "scripts/2_my_script2.js", .. kvs, "Webhook.List.json", "Shelly.GetDeviceInfo.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(shelly.ScriptCode[1], Text(zip, "scripts/1_my_script.js"));
        Assert.True(shelly.ScriptCode[1].Length > 10 * 200, "the script needs many chunks");
        Assert.True(JsonNode.DeepEquals(shelly.Config, JsonNode.Parse(Text(zip, "Shelly.GetConfig.json"))), "GetConfig is kept as the device answered it");
        if (!withoutKvs)
        {
            var items = JsonNode.Parse(Text(zip, "KVS.GetMany.json"))!["items"]!;
            var stored = items is JsonObject map
                ? map.Select(p => (p.Key, (string?)p.Value!["etag"], p.Value["value"]?.ToJsonString())).ToList()
                : items.AsArray().Select(i => ((string)i!["key"]!, (string?)i["etag"], i["value"]?.ToJsonString())).ToList();
            Assert.Equal(shelly.Kvs.Select(i => ((string)i!["key"]!, (string?)i["etag"], i["value"]?.ToJsonString())), stored);
            Assert.Contains(("scripts-library", "64qBCCQKaCeLdQ8KPW4E+JzA=="), stored.Select(s => (s.Item1, s.Item2)));
        }

        Assert.Equal(shelly.Version, Sql.Query(Folder.Database, "SELECT version FROM backups").Single()["version"]);

        // Every protected call answered the device's Digest challenge; no Basic header ever carried the password.
        Assert.All(shelly.Requests.Where(r => r.Path.StartsWith("/rpc/", StringComparison.Ordinal) && r.Path != "/rpc/Shelly.GetDeviceInfo" && r.Header("Authorization") is not null),
            r => Assert.StartsWith("Digest ", r.Header("Authorization"), StringComparison.Ordinal));
        Assert.DoesNotContain(shelly.Requests, r => r.Header("Authorization")?.StartsWith("Basic", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("WrongPassword", "wrong password (HTTP 401)")]
    [InlineData("HtmlWith200", "Shelly.GetConfig is a web page, not the device's data")]
    [InlineData("TruncatedJson", "Shelly.GetConfig is not valid JSON")]
    [InlineData("ScriptStopsShort", "Shelly script 1 `my_script` came back shorter than the device reported")]
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
    public async Task Gen1_GivenAsShelly_IsToldApartByGen_AndBackedUpWithBasicAuth_WithTheVersionWithoutItsBuildSuffix()
    {
        var shelly = Own(FakeShelly.Start(generation: 1));
        shelly.Password = "relay-pass";
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, "relay-pass")] };
        await using var app = await StartAppAsync(options);
        await WaitForConfigAsync(shelly.Mac);
        var device = app.Get<DeviceRegistry>().Find(Mac.Parse(shelly.Mac))!;
        Assert.Equal((DeviceType.ShellyGen1, "1 Gen1", "1.14.0", "SHSW-1"), (device.Type, device.Name, device.Version, device.Model));

        await PublishAsync("tasmo_guardian/cmnd/backup", shelly.Mac);

        var done = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] is "backup_succeeded" or "backup_failed", "the Gen1 backup"));
        Assert.Equal("backup_succeeded", (string?)done["event_type"]);
        Assert.EndsWith("-v1.14.0.zip", (string)done["file"]!, StringComparison.Ordinal);
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, (string)done["file"]!));
        Assert.Equal(["settings.json", "settings_actions.json", "shelly.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(Fixtures.Text("shelly/shelly_gen1_settings_actions_doc.json"), Text(zip, "settings_actions.json"));
        Assert.Equal(shelly.Mac, (string?)JsonNode.Parse(Text(zip, "settings.json"))!["device"]!["mac"]);
        Assert.Equal(2, Sql.Scalar(Folder.Database, "SELECT type FROM devices"));
        Assert.Equal("1.14.0", Sql.Query(Folder.Database, "SELECT version FROM backups").Single()["version"]);
    }

    [Fact]
    public async Task Gen1_WithAStaticAddress_IsListedWithTheAddressItTells()
    {
        var shelly = Own(FakeShelly.Start(generation: 1));
        var station = shelly.Settings!["wifi_sta"]!;
        (station["ipv4_method"], station["ip"], station["gw"], station["mask"]) = ("static", "192.168.1.240", "192.168.1.1", "255.255.255.0");
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, null)] };
        await using var app = await StartAppAsync(options);
        await WaitForConfigAsync(shelly.Mac);

        Assert.Equal("192.168.1.240", app.Get<DeviceRegistry>().Find(Mac.Parse(shelly.Mac))!.Ip);
        Assert.Equal(shelly.Host, app.Get<DeviceRegistry>().Find(Mac.Parse(shelly.Mac))!.ConfiguredHost);
    }

    [Fact]
    public async Task EveryFirmwareShape_BehindOneAccessPoint_IsItsOwnDevice_IdentifiedAndBackedUp_WithTheContractsVersion()
    {
        // Expected name (the device's own, else its id) and version of each captured shape. Every Gen2+ fake reports
        // the same access point (wifi.bssid of the capture), every Gen1 the same network: each is still its own MAC.
        var expected = new Dictionary<ShellyFirmware, (string? Name, string Version)>
        {
            [ShellyFirmware.Gen1] = ("1 Gen1", "1.14.0"),
            [ShellyFirmware.Gen1Roller] = ("2.5 Gen1 Cover", "1.14.0"),
            [ShellyFirmware.Gen1V1_11] = ("1 Gen1", "1.11.7"),
            [ShellyFirmware.Gen2] = ("1PM Plus", "1.7.5"),
            [ShellyFirmware.Gen2V0_10] = (null, "0.10.1"),
            [ShellyFirmware.Gen2Profile] = ("Shelly Plus 2PM", "1.4.2"),
            [ShellyFirmware.Gen3] = ("1PM Gen3", "1.7.5"),
            [ShellyFirmware.Gen3Beta] = ("Shelly BLU Gateway Gen3 [DDEEFF]", "1.5.0-beta2"),
            [ShellyFirmware.Gen4] = ("1PM Gen4", "1.7.5"),
            [ShellyFirmware.Gen4Zigbee] = ("Shelly 1 Mini Gen4 [DDEEFF]", "1.5.99-g4prod1"),
            [ShellyFirmware.Gen4FwIdWithoutVersion] = (null, "1.8.99-xlg4samples0"),
        };
        Assert.Equal(ShellyFirmware.Every, expected.Keys);
        var fakes = ShellyFirmware.Every.Select(f => Own(FakeShelly.Start(f))).ToList();
        foreach (var fake in fakes.Where(f => f.Firmware == ShellyFirmware.Gen2Profile || f.Firmware == ShellyFirmware.Gen3Beta || f.Firmware == ShellyFirmware.Gen1Roller))
        {
            fake.Password = "captured-with-auth";
        }

        Assert.Single(fakes.Select(f => (string?)f.Status["wifi"]?["bssid"]).OfType<string>().Distinct());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            AnnounceDiscovery = false,
            Devices = [.. fakes.Select(f => new DeviceOption(f.Host, DeviceType.ShellyGen2, null, f.Password))],
        };
        await using var app = await StartAppAsync(options);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == fakes.Count, "every shape identified");

        var registry = app.Get<DeviceRegistry>();
        Assert.Equal(fakes.Select(f => f.Mac).Order(), registry.Snapshot().Select(d => d.Mac.ToString()).Order());
        foreach (var fake in fakes)
        {
            var device = registry.Find(Mac.Parse(fake.Mac))!;
            var (name, version) = expected[fake.Firmware];
            Assert.Equal((fake.Firmware.Name, name ?? fake.Id, version, fake.Generation >= 2 ? DeviceType.ShellyGen2 : DeviceType.ShellyGen1, fake.Address.ToString()), (fake.Firmware.Name, device.Name, device.Version, device.Type, device.Ip));
        }

        await PressAsync("tasmo_guardian/hub/backup_all");

        var finished = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the run"));
        Assert.Equal((fakes.Count, 0), ((int)finished["backed_up"]!, (int)finished["failed"]!));
        var versions = Sql.Query(Folder.Database, "SELECT d.mac, b.version, b.filename FROM backups b JOIN devices d ON d.id = b.device_id")
            .ToDictionary(r => (string)r["mac"]!, r => ((string?)r["version"], (string)r["filename"]!));
        foreach (var fake in fakes)
        {
            var version = expected[fake.Firmware].Version;
            Assert.Equal((fake.Firmware.Name, version), (fake.Firmware.Name, versions[fake.Mac].Item1));
            Assert.EndsWith($"-v{version}.zip", versions[fake.Mac].Item2, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ShellysThatAnnounceThemselves_AppearWithoutTypingAnAddress_EachWithItsOwnMac_AndAreBackedUp()
    {
        var gen1 = Own(FakeShelly.Start(generation: 1));
        var gen2 = Own(FakeShelly.Start());
        var neighbour = Own(FakeShelly.Start(ShellyFirmware.Gen3));
        await gen1.ConnectAsync(Broker);
        await gen2.ConnectAsync(Broker);
        await neighbour.ConnectAsync(Broker);
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false });

        await WaitForConfigAsync(gen1.Mac);
        await WaitForConfigAsync(gen2.Mac);
        await WaitForConfigAsync(neighbour.Mac);
        var registry = app.Get<DeviceRegistry>();
        foreach (var shelly in new[] { gen2, neighbour })
        {
            await Eventually.TrueAsync(() => registry.Find(Mac.Parse(shelly.Mac))?.Ip == shelly.Address.ToString(), Waits.Long, () => $"the address of {shelly.Firmware} from WiFi.GetStatus: {string.Join(", ", registry.Snapshot().Select(d => $"{d.Mac} {d.Ip}"))}\n{Recorder.Summary()}");
        }

        Assert.Equal(3, registry.Snapshot().Count);
        var first = registry.Find(Mac.Parse(gen1.Mac))!;
        Assert.Equal((DeviceType.ShellyGen1, gen1.Address.ToString(), "1.14.0"), (first.Type, first.Ip, first.Version));
        Assert.Equal(("1PM Plus", DeviceType.ShellyGen2, "1.7.5"), (registry.Find(Mac.Parse(gen2.Mac))!.Name, registry.Find(Mac.Parse(gen2.Mac))!.Type, registry.Find(Mac.Parse(gen2.Mac))!.Version));

        await PressAsync("tasmo_guardian/hub/backup_all");

        var finished = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the run"));
        Assert.Equal(3, (int)finished["backed_up"]!);
    }

    [Fact]
    public async Task AShellyWithoutAMac_IsListedOnTheHub_AndLoggedOnce_SayingWhereTheMacWasLookedFor()
    {
        var shelly = Own(FakeShelly.Start(generation: 1));
        shelly.Behavior = ShellyBehavior.IdentityWithoutMac;
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, null)] };
        await using var app = await StartAppAsync(options);

        var problems = app.Get<HubProblems>();
        List<LogEntry> Lines() => [.. app.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(shelly.Host, StringComparison.Ordinal))];
        await Eventually.TrueAsync(() => problems.Find(HubProblemKind.Unidentified, shelly.Host) is not null && Lines().Count > 0, Waits.Long, () => app.LogText());

        Assert.Equal("/shelly has no MAC at \"mac\"", problems.Find(HubProblemKind.Unidentified, shelly.Host)!.Reason);
        Assert.Contains("/shelly has no MAC at \"mac\"", Assert.Single(Lines()).Message, StringComparison.Ordinal);
        Assert.Empty(app.Get<DeviceRegistry>().Snapshot());
    }

    private static ShellyFirmware Shape(string name) => (ShellyFirmware)typeof(ShellyFirmware).GetProperty(name)!.GetValue(null)!;

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private Task<TasmoGuardian.Mqtt.MqttMessage> WaitForConfigAsync(string mac) =>
        WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{mac.ToLowerInvariant()}/config", c => c["device"] is not null, $"the config of {mac}");
}
