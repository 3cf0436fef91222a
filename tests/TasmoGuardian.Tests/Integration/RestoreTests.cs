using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// Restore from Home Assistant and the command topic against fake devices that behave like the firmware (research
/// §6.2, §6.3): nothing reaches a device unless the file is proven good and fits, a pre-restore backup comes first,
/// and success means the device restarted and serves what was restored.
/// </summary>
public sealed class RestoreTests : IntegrationContext
{
    private static readonly RestoreSettings QuickRestart = new() { RestartLimit = TimeSpan.FromSeconds(8), PollInterval = TimeSpan.FromMilliseconds(250) };

    [Fact]
    public async Task RestoreButton_PutsTheSelectedBackupBack_AfterAPreRestoreBackup_AndVerifiesIt()
    {
        var plug = await DiscoveredTasmotaAsync("Kitchen plug", d => d.RestartTime = TimeSpan.FromSeconds(1));
        await using var app = await StartAppAsync(services: Quick);
        var yesterday = await BackUpAsync(plug);
        var yesterdaysSettings = TasmotaDumpBuilder.Settings(plug.Dump);
        await BackUpAsync(plug);

        // The user changes the device after yesterday's backup, then picks yesterday's in the select and presses Restore.
        plug.Dump = TasmotaDumpBuilder.Build(0x0D010000, seed: 99);
        var label = await WaitForLabelAsync(plug, yesterday);
        await PublishAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/restore_source/set", label);
        await WaitForJsonAsync(StateTopic(plug), s => (string?)s["restore_source"] == label, "the selection");
        await PressAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/restore");

        var done = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("\"restore_", StringComparison.Ordinal), Waits.Long, "the restore's end"));
        Assert.Equal("restore_succeeded", (string?)done["event_type"]);
        Assert.Null(done["reason"]);
        Assert.Equal(yesterday, (string?)done["backup"]);
        Assert.Equal(plug.Mac, (string?)done["target"]);

        // The pre-restore backup holds what the device had just before, and came first.
        var preRestore = (string)done["pre_restore_backup"]!;
        Assert.Equal(TasmotaDumpBuilder.Settings(TasmotaDumpBuilder.Build(0x0D010000, seed: 99)), TasmotaDumpBuilder.Settings(await File.ReadAllBytesAsync(Path.Combine(Folder.Backups, preRestore))));
        var events = Events().ToList();
        Assert.True(events.FindIndex(e => (string?)e["file"] == preRestore) < events.FindIndex(e => (string?)e["event_type"] == "restore_succeeded"));

        // The device armed with /rs, uploaded once, restarted, and now serves yesterday's settings.
        var paths = plug.Requests.Select(r => r.Path).ToList();
        Assert.True(paths.LastIndexOf("/rs") == paths.IndexOf("/u2") - 1, string.Join(" ", paths));
        Assert.Equal(0, plug.UnarmedUploads);
        Assert.Equal(8, plug.BootCount);
        // At its first Wi-Fi connection the device wrote its own network's gateway, subnet and DNS (0x548-0x557) again.
        Assert.Equal(yesterdaysSettings[0x10..0x548], TasmotaDumpBuilder.Settings(plug.Dump)[0x10..0x548]);
        Assert.Equal(yesterdaysSettings[0x558..0xF00], TasmotaDumpBuilder.Settings(plug.Dump)[0x558..0xF00]);

        await WaitForJsonAsync(StateTopic(plug), s => (string?)s["last_restore"] == "success", "last_restore");
        var attributes = await WaitForJsonAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/restore_attributes", a => (string?)a["backup"] == yesterday && a["finished"] is not null, "the restore's attributes");
        Assert.Equal(preRestore, (string?)Json(attributes)["pre_restore_backup"]);
        var row = Sql.Query(Folder.Database, "SELECT * FROM restores").Single();
        Assert.Equal(("success", yesterday, preRestore), ((string?)row["result"], (string?)row["backup_filename"], (string?)row["pre_restore_filename"]));
        Assert.NotNull(row["finished"]);
        Assert.Equal(3, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task ABackupFromAnotherChip_IsRefused_AndNeverReachesTheDevice()
    {
        var esp32 = await DiscoveredTasmotaAsync("Old ESP32", d => d.Dump = TasmotaDumpBuilder.Build(0x0D010000, platform: 1, seed: 5));
        var esp8266 = await DiscoveredTasmotaAsync("New ESP8266");
        await using var app = await StartAppAsync(services: Quick);
        await BackUpAsync(esp32);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{esp32.Mac}}","backup":"latest","target":"{{esp8266.Name}}"}""");

        var failed = await RestoreEndAsync();
        Assert.Equal("restore_failed", (string?)failed["event_type"]);
        Assert.Equal("the backup is from an ESP32, this device is an ESP8266", (string?)failed["reason"]);
        Assert.Equal(esp8266.Mac, (string?)failed["target"]);
        Assert.Empty(esp8266.Uploads);
        Assert.DoesNotContain(esp8266.Requests, r => r.Path is "/rs" or "/u2");
    }

    [Fact]
    public async Task OntoAReplacement_OfTheSameChip_TheReplacementServesTheBackup_AndOwnsTheResult()
    {
        var broken = await DiscoveredTasmotaAsync("Broken plug");
        var replacement = await DiscoveredTasmotaAsync("Spare plug", d => d.RestartTime = TimeSpan.FromSeconds(1));
        await using var app = await StartAppAsync(services: Quick);
        await BackUpAsync(broken);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"Broken plug","backup":"latest","target":"{{replacement.Address}}"}""");

        var done = await RestoreEndAsync();
        Assert.Equal(("restore_succeeded", broken.Mac, replacement.Mac), ((string?)done["event_type"], (string?)done["mac"], (string?)done["target"]));
        // All but what the replacement wrote at its own first Wi-Fi connection: its gateway, subnet and DNS (0x548-0x557).
        Assert.Equal(TasmotaDumpBuilder.Settings(broken.Dump)[0x10..0x548], TasmotaDumpBuilder.Settings(replacement.Dump)[0x10..0x548]);
        Assert.Equal(TasmotaDumpBuilder.Settings(broken.Dump)[0x558..0xF00], TasmotaDumpBuilder.Settings(replacement.Dump)[0x558..0xF00]);
        await WaitForJsonAsync(StateTopic(replacement), s => (string?)s["last_restore"] == "success", "the replacement's last_restore");
        Assert.Empty(broken.Uploads);
        var row = Sql.Query(Folder.Database, "SELECT d.mac FROM restores r JOIN devices d ON d.id = r.device_id").Single();
        Assert.Equal(replacement.Mac, (string?)row["mac"]);
    }

    [Fact]
    public async Task ABackupFromNewerFirmware_IsRefused_UnlessForced()
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.RestartTime = TimeSpan.FromMilliseconds(500));
        await using var app = await StartAppAsync(services: Quick);
        plug.Dump = TasmotaDumpBuilder.Build(0x0E020000, seed: 3);
        await BackUpAsync(plug);
        plug.Dump = TasmotaDumpBuilder.Build(0x0D010000, seed: 4);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"latest"}""");
        var refused = await RestoreEndAsync();
        Assert.Contains("newer than the device's 13.1.0", (string?)refused["reason"], StringComparison.Ordinal);
        Assert.Empty(plug.Uploads);

        // The first attempt's pre-restore backup is now the newest: name the file.
        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"{{refused["backup"]}}","force":true}""");
        var forced = await RestoreEndAsync(2);
        Assert.Equal("restore_succeeded", (string?)forced["event_type"]);
        Assert.Single(plug.Uploads);
    }

    [Fact]
    public async Task AWrongPassword_OrUserMode_FailsWithTheirReason_BeforeAnythingIsSent()
    {
        var locked = await DiscoveredTasmotaAsync("Locked", d => d.Password = "secret");
        var user = await DiscoveredTasmotaAsync("User mode");
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaPassword = "secret" };
        await using var app = await StartAppAsync(options, Quick);
        await BackUpAsync(locked);
        await BackUpAsync(user);
        locked.Password = "changed";
        user.Behavior = TasmotaBehavior.HtmlPage;

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"Locked"}""");
        Assert.Equal("wrong password (HTTP 401)", (string?)(await RestoreEndAsync())["reason"]);
        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"User mode"}""");
        Assert.Contains("user mode (WebServer 1)", (string?)(await RestoreEndAsync(2))["reason"], StringComparison.Ordinal);

        Assert.Empty(locked.Uploads);
        Assert.Empty(user.Uploads);
    }

    [Fact]
    public async Task ADeviceThatNeverComesBack_OrComesBackDifferent_IsAFailureWithItsReason()
    {
        var gone = await DiscoveredTasmotaAsync("Gone", d => d.RestoreBehavior = TasmotaRestoreBehavior.NeverComesBack);
        var reset = await DiscoveredTasmotaAsync("Reset", d => (d.RestoreBehavior, d.RestartTime) = (TasmotaRestoreBehavior.ComesBackDifferent, TimeSpan.FromMilliseconds(500)));
        await using var app = await StartAppAsync(services: Quick);
        await BackUpAsync(gone);
        await BackUpAsync(reset);

        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Gone"}""");
        Assert.Equal("the device did not come back restarted within 8 s; check it, or restore the pre-restore backup", (string?)(await RestoreEndAsync())["reason"]);
        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Reset"}""");
        Assert.StartsWith("the device came back with other settings than the backup's", (string?)(await RestoreEndAsync(2))["reason"], StringComparison.Ordinal);
        await WaitForJsonAsync(StateTopic(reset), s => (string?)s["last_restore"] == "failed", "last_restore failed");
    }

    [Fact]
    public async Task NoAnswerToTheUpload_IsReportedAsAnUnknownState()
    {
        var plug = await DiscoveredTasmotaAsync("Silent", d => d.RestoreBehavior = TasmotaRestoreBehavior.NoAnswerToUpload);
        await using var app = await StartAppAsync(services: Quick);
        await BackUpAsync(plug);

        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Silent"}""");

        Assert.Contains("gave no answer to the upload", (string?)(await RestoreEndAsync())["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRestoreEntities_AreConfigEntities_AndTheButtonIsDisabledByDefault()
    {
        var plug = await DiscoveredTasmotaAsync("Plug");
        await using var app = await StartAppAsync(services: Quick);
        var config = await WaitForJsonAsync(ConfigTopic(plug), c => c["components"]?["restore_source"] is not null, "the restore entities");
        var components = Json(config)["components"]!;
        Assert.Equal(["none"], components["restore_source"]!["options"]!.AsArray().Select(o => (string)o!));
        Assert.False((bool)components["restore"]!["enabled_by_default"]!);

        var file = await BackUpAsync(plug);
        var updated = await WaitForJsonAsync(ConfigTopic(plug), c => c["components"]?["restore_source"]?["options"]?.AsArray().Count == 1 && (string?)c["components"]!["restore_source"]!["options"]![0] != "none", "the select listing the backup");
        Assert.Equal(TasmoGuardian.Backups.Restore.BackupChoices.Label(new TasmoGuardian.Devices.BackupRecord(0, 0, file, 0, "", null, DateTimeOffset.UnixEpoch)), (string?)Json(updated)["components"]!["restore_source"]!["options"]![0]);
    }

    [Fact]
    public async Task Wled_WithAPin_IsUnlocked_RestoredAndVerified_0_15RestartsByItself()
    {
        var wled = Own(FakeWled.Start());
        (wled.Pin, wled.RestartTime) = ("1234", TimeSpan.FromMilliseconds(800));
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, Devices = [new DeviceOption(wled.Host, DeviceType.Wled, null, "1234")] };
        await using var app = await StartAppAsync(options, Quick);
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Count == 1, Waits.Short, "the WLED device");
        await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{wled.Mac}/config", c => c["device"] is not null, "the WLED device's config");
        var backup = await BackUpAsync(wled.Mac);
        var original = wled.Config;
        wled.Config = """{"rev":[1,0],"vid":2405180,"id":{"mdns":"wled-desk","name":"Renamed","inv":"Light"},"nw":{"ins":[{"ssid":"other","pskl":8}]}}"""u8.ToArray();
        wled.Presets = """{"0":{}}"""u8.ToArray();

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{wled.Mac}}","backup":"{{backup}}"}""");

        var done = await RestoreEndAsync();
        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(["/presets.json", "/cfg.json"], wled.Uploaded);
        Assert.Equal(1, wled.Restarts);
        var config = JsonNode.Parse(wled.Config)!;
        Assert.Equal("Desk strip", (string?)config["id"]!["name"]);
        Assert.NotNull(config["um"]);
        Assert.Equal(JsonNode.Parse(original)!["nw"]!.ToJsonString(), config["nw"]!.ToJsonString());
    }

    [Fact]
    public async Task Wled_0_13_IsToldToReboot_AWrongPinFails_AndAConfigNotKeptFails()
    {
        var old = Own(FakeWled.Start("0.13.3"));
        old.RestartTime = TimeSpan.FromMilliseconds(500);
        var pinned = Own(FakeWled.Start());
        pinned.Pin = "1111";
        var forgetful = Own(FakeWled.Start());
        (forgetful.ComesBackNamed, forgetful.RestartTime) = ("WLED", TimeSpan.FromMilliseconds(500));
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            Devices = [new DeviceOption(old.Host, DeviceType.Wled, "Old", null), new DeviceOption(pinned.Host, DeviceType.Wled, "Pinned", "2222"), new DeviceOption(forgetful.Host, DeviceType.Wled, "Forgetful", null)],
        };
        await using var app = await StartAppAsync(options, Quick);
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Count == 3, Waits.Short, "the WLED devices");
        await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{forgetful.Mac}/config", c => c["device"] is not null, "the WLED devices' configs");
        await BackUpAsync(old.Mac);
        await BackUpAsync(pinned.Mac);
        await BackUpAsync(forgetful.Mac);

        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Old"}""");
        var oldDone = await RestoreEndAsync();
        Assert.True((string?)oldDone["event_type"] == "restore_succeeded", (string?)oldDone["reason"]);
        Assert.Equal(1, old.Restarts);

        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Pinned"}""");
        Assert.StartsWith("wrong settings PIN", (string?)(await RestoreEndAsync(2))["reason"], StringComparison.Ordinal);
        Assert.Empty(pinned.Uploaded);

        await PublishAsync("tasmo_guardian/cmnd/restore", """{"device":"Forgetful"}""");
        Assert.Equal("the device came back with another cfg.json than the backup's (id.name has another value)", (string?)(await RestoreEndAsync(3))["reason"]);
    }

    private static void Quick(IServiceCollection services) => services.AddSingleton(QuickRestart);

    private async Task<string> WaitForLabelAsync(FakeTasmota device, string file)
    {
        var label = TasmoGuardian.Backups.Restore.BackupChoices.Label(new TasmoGuardian.Devices.BackupRecord(0, 0, file, 0, "", null, DateTimeOffset.UnixEpoch));
        await WaitForJsonAsync(ConfigTopic(device), c => c["components"]?["restore_source"]?["options"]?.AsArray().Any(o => (string?)o == label) == true, "the select offering the backup");
        return label;
    }
}
