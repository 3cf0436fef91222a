using System.Text.Json.Nodes;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Issue 3: devices appear in Home Assistant from every source, against a real broker.</summary>
public sealed class InventoryTests : IntegrationContext
{
    [Fact]
    public async Task DiscoveredDevices_GetOneConfigEach_AndTheHubCountsThem()
    {
        var devices = new[] { await DiscoveredTasmotaAsync("Kitchen"), await DiscoveredTasmotaAsync("Hall"), await DiscoveredTasmotaAsync("Garage") };

        await using var app = await StartAppAsync();

        await Recorder.WaitForAsync(m => m.Topic == "homeassistant/device/tasmo_guardian/config" && m.Payload.Length > 0, Waits.Long, "the hub's config");
        foreach (var device in devices)
        {
            var json = Json(await WaitForJsonAsync(ConfigTopic(device), _ => true, $"{device.Name}'s config"));
            Assert.Equal(device.Name, (string?)json["device"]!["name"]);
            Assert.Equal($"http://{device.Address}/", (string?)json["device"]!["configuration_url"]);
            Assert.Equal("13.1.0", (string?)json["device"]!["sw_version"]);
        }

        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 3, "3 devices on the hub");
        Assert.Equal(3, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM devices"));

        // Retained: a client that subscribes later (Home Assistant after a restart) still gets every config.
        await using var late = await MessageRecorder.StartAsync(Broker, "homeassistant/device/#");
        foreach (var device in devices)
        {
            await late.WaitForAsync(m => m.Topic == ConfigTopic(device) && m.Retain && m.Payload.Length > 0, Waits.Short, $"{device.Name}'s retained config");
        }
        var state = Json(await WaitForJsonAsync(StateTopic(devices[0]), _ => true, "a device state"));
        Assert.Equal("never", (string?)state["last_result"]);
        Assert.Null(state["last_backup"]);
        Assert.Equal(0, (int?)state["backups"]);
    }

    [Fact]
    public async Task DeviceWithDiscoveryOff_IsFound_ThroughItsStatusReply()
    {
        var hidden = await DiscoveredTasmotaAsync("Quiet", d => d.DiscoveryEnabled = false);

        await using var app = await StartAppAsync();

        // Its name comes from the STATUS reply (DeviceName), not from its topic; its version from STATUS2.
        await WaitForJsonAsync(ConfigTopic(hidden), c => (string?)c["device"]!["name"] == "Quiet" && (string?)c["device"]!["sw_version"] == "13.1.0", "the quiet device with its name and version");
        Assert.True(Fleet.StatusRequests >= 3);
        var device = app.Get<DeviceRegistry>().Find(Mac.Parse(hidden.Mac))!;
        Assert.Equal(hidden.Address.ToString(), device.Ip);
    }

    [Fact]
    public async Task DeviceBootingWhileRunning_IsAskedAtOnce_AndAppearsWithItsName()
    {
        await using var app = await StartAppAsync();
        await Eventually.TrueAsync(() => Fleet.StatusRequests >= 3, Waits.Short, "the start-up status request");

        // Discovery off, not there at start-up: it boots now and says so with its LWT, nothing else.
        var booted = Own(FakeTasmota.Start("Garden pump"));
        booted.DiscoveryEnabled = false;
        Fleet.Add(booted);
        await Fleet.PublishLwtAsync(booted, online: true);

        await WaitForJsonAsync(ConfigTopic(booted), c => (string?)c["device"]!["name"] == "Garden pump" && (string?)c["device"]!["sw_version"] == "13.1.0", "the device with its name, without a refresh");
        Assert.Equal([$"cmnd/{booted.Topic}/STATUS 5", $"cmnd/{booted.Topic}/STATUS 2", $"cmnd/{booted.Topic}/STATUS "], Fleet.DeviceStatusRequests);
    }

    [Fact]
    public async Task NewFirmwareVersion_FromInfo1_ReachesTheVersionSensor()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(StateTopic(device), s => (string?)s["version"] == "13.1.0", "the first version");

        device.Version = "14.3.0";
        await Fleet.PublishInfo1Async(device);

        await WaitForJsonAsync(StateTopic(device), s => (string?)s["version"] == "14.3.0", "the new version in the state");
        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["sw_version"] == "14.3.0", "the new version on the device card");
        Assert.Equal("14.3.0", Sql.Query(Folder.Database, "SELECT version FROM devices")[0]["version"]);
    }

    [Fact]
    public async Task NewAddressAndName_UpdateTheKnownDevice_NotANewOne()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the config");

        // Moved as a real device moves: everything it says from now on, including late answers to the start-up STATUS 5, has the new address.
        device.Name = "Kitchen counter";
        device.ReportedAddress = "10.9.8.7";
        await Fleet.PublishDiscoveryAsync(device);
        await Fleet.PublishAsync(FakeTasmotaFleet.Topic(device, "tele", "STATE"), """{"Time":"2026-11-22T10:00:00","Hostname":"x","IPAddress":"10.9.8.7"}""");

        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["name"] == "Kitchen counter" && (string?)c["device"]!["configuration_url"] == "http://10.9.8.7/", "the renamed, moved device");
        Assert.Equal(1, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM devices"));
        Assert.Equal("10.9.8.7", Sql.Query(Folder.Database, "SELECT ip FROM devices")[0]["ip"]);
    }

    [Fact]
    public async Task HomeAssistantBirth_BringsEveryConfigBack()
    {
        var devices = new[] { await DiscoveredTasmotaAsync(), await DiscoveredTasmotaAsync() };
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(devices[1]), _ => true, "the configs");
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "the hub");
        Recorder.Clear();

        await PublishAsync("homeassistant/status", "online");

        await Recorder.WaitForAsync(m => m.Topic == "homeassistant/device/tasmo_guardian/config", Waits.Short, "the hub config again");
        foreach (var device in devices)
        {
            await Recorder.WaitForAsync(m => m.Topic == ConfigTopic(device), Waits.Short, "each config again");
            await Recorder.WaitForAsync(m => m.Topic == StateTopic(device), Waits.Short, "each state again");
        }

        var order = Recorder.Messages.Select(m => m.Topic).ToList();
        Assert.True(order.IndexOf(ConfigTopic(devices[1])) < order.IndexOf(StateTopic(devices[0])), "states come after configs");
    }

    [Fact]
    public async Task Restart_KeepsTheDevices_FromTheDatabase()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the config");
        await app.StopAsync();

        // Nothing retained is left to learn from: the device must come back from SQLite alone.
        await PublishAsync($"tasmota/discovery/{device.Mac}/config", string.Empty, retain: true);
        await PublishAsync(ConfigTopic(device), string.Empty, retain: true);
        Recorder.Clear();
        await using var again = await StartAppAsync();

        var config = Json(await WaitForJsonAsync(ConfigTopic(device), _ => true, "the config after the restart"));
        Assert.Equal("Kitchen", (string?)config["device"]!["name"]);
        Assert.Equal(1, again.Get<DeviceRegistry>().Count);
        Assert.Contains("Loaded 1 known devices", again.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedInHomeAssistant_StaysDeleted_UntilTheDeviceChanges()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the config");

        // What Home Assistant does when the user deletes the device: an empty retained config.
        await PublishAsync(ConfigTopic(device), string.Empty, retain: true);
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Find(Mac.Parse(device.Mac))!.HiddenInHomeAssistant, Waits.Short, "the device to be hidden");
        Recorder.Clear();
        await PublishAsync("homeassistant/status", "online");

        // The republish sends every config before the hub's state: once that state is here, no config is still coming.
        await Recorder.WaitForAsync(m => m.Topic == "homeassistant/device/tasmo_guardian/config", Waits.Short, "the republish");
        await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/hub/state", Waits.Short, "the hub state after the configs");
        Assert.DoesNotContain(Recorder.Messages, m => m.Topic == ConfigTopic(device) && m.Payload.Length > 0);
        Assert.Equal(1L, Sql.Scalar(Folder.Database, "SELECT ha_hidden FROM devices"));

        device.Version = "14.0.0";
        await Fleet.PublishDiscoveryAsync(device);

        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["sw_version"] == "14.0.0", "the device back with its new data");
        Assert.Equal(0L, Sql.Scalar(Folder.Database, "SELECT ha_hidden FROM devices"));
    }

    [Fact]
    public async Task StaleConfigs_UnderOurIds_AreClearedAtStartUp()
    {
        const string Stale = "homeassistant/device/tasmo_guardian_0a0b0c0d0e0f/config";
        const string Foreign = "homeassistant/device/zigbee2mqtt_0x0001/config";
        await PublishAsync(Stale, """{"device":{"identifiers":["tasmo_guardian_0a0b0c0d0e0f"],"name":"Gone"},"o":{"name":"x"},"cmps":{}}""", retain: true);
        await PublishAsync(Foreign, """{"device":{"identifiers":["z"],"name":"Other bridge"},"o":{"name":"z"},"cmps":{}}""", retain: true);

        await using var app = await StartAppAsync();

        await Recorder.WaitForAsync(m => m.Topic == Stale && m.Payload.IsEmpty, Waits.Long, "the stale config cleared");
        await using var late = await MessageRecorder.StartAsync(Broker, "homeassistant/device/#");
        await late.WaitForAsync(m => m.Topic == Foreign, Waits.Short, "the other bridge's config, untouched");
        Assert.DoesNotContain(late.Messages, m => m.Topic == Stale);
    }

    [Fact]
    public async Task ConfiguredDevices_AreIdentifiedOverHttp_WithTheirOptionName()
    {
        var tasmota = Own(FakeTasmota.Start("Boiler"));
        tasmota.Password = "s3cret";
        var wled = Own(FakeWled.Start());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            Devices =
            [
                new(tasmota.Host, TasmoGuardian.Devices.DeviceType.Tasmota, "Boiler room", "s3cret"),
                new(wled.Host, TasmoGuardian.Devices.DeviceType.Wled, null, null),
            ],
        };

        await using var app = await StartAppAsync(options);

        var boiler = Json(await WaitForJsonAsync(ConfigTopic(tasmota), _ => true, "the Tasmota given by host"));
        Assert.Equal("Boiler room", (string?)boiler["device"]!["name"]);
        Assert.Equal("13.1.0", (string?)boiler["device"]!["sw_version"]);
        var strip = Json(await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{wled.Mac}/config", _ => true, "the WLED given by host"));
        Assert.Equal(("Desk strip", "WLED", "0.15.4"), ((string?)strip["device"]!["name"], (string?)strip["device"]!["manufacturer"], (string?)strip["device"]!["sw_version"]));
        var status = tasmota.Requests.Single(r => r.Path == "/cm");
        Assert.Equal("s3cret", status.QueryValue("password"));
        Assert.DoesNotContain("s3cret", app.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Recorder.Messages, m => m.PayloadAsString().Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableConfiguredDevice_IsNotListed_UntilItAnswers()
    {
        var absent = FakeTasmota.Refusing("Shed");
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            Devices = [new(absent.Host, TasmoGuardian.Devices.DeviceType.Tasmota, "Shed", null)],
        };
        await using var app = await StartAppAsync(options);
        await Eventually.TrueAsync(() => app.LogText().Contains($"Cannot identify the Tasmota device at {absent.Host} yet", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Equal(0, app.Get<DeviceRegistry>().Count);

        // The device comes online; the refresh button asks at once instead of waiting out the back-off.
        var present = Own(FakeTasmota.Start("Shed", address: absent.Address, mac: absent.Mac));
        await PressAsync("tasmo_guardian/hub/refresh");

        await WaitForJsonAsync(ConfigTopic(present), c => (string?)c["device"]!["name"] == "Shed", "the device once it answers");
    }

    [Fact]
    public async Task HostileMessages_AreLoggedOnce_AndChangeNothing()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the config");

        var hostile = new (string Topic, string Payload)[]
        {
            ("tasmota/discovery/A1B2C3D4E5F6/config", "{not json"),
            ("tasmota/discovery/A1B2C3D4E5F6/config", """{"mac":"FFEEDDCCBBAA","dn":"liar"}"""),
            ("tasmota/discovery/../../etc/config", """{"mac":"A1B2C3D4E5F6"}"""),
            ("stat/evil/STATUS5", """{"StatusNET":{"Mac":42}}"""),
            ("tele/evil/INFO1", "[]"),
            ("tele/evil/LWT", "maybe"),
            ("tasmo_guardian/cmnd/backup", "../../etc/passwd"),
            ("tasmo_guardian/hub/backup_all", "NOT-PRESS"),
            ("tasmo_guardian/device/zzzz/backup", "PRESS"),
        };
        foreach (var (topic, payload) in hostile.Concat(hostile))
        {
            await PublishAsync(topic, payload);
        }

        await PublishAsync("tasmota/discovery/A1B2C3D4E5F6/config", "{\"mac\":\"" + new string('A', 900_000) + "\"}");
        await Fleet.PublishInfo1Async(device);
        await Eventually.TrueAsync(() => app.LogText().Contains("tasmo_guardian/device/zzzz/backup", StringComparison.Ordinal), Waits.Short, () => app.LogText());

        Assert.Equal(1, app.Get<DeviceRegistry>().Count);
        var warnings = app.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Single(warnings, w => w.Contains("stat/evil/STATUS5", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Contains("MAC mismatch", StringComparison.Ordinal));
        Assert.Empty(Folder.BackupFiles());
    }
}
