using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>openHASP against fakes answering as its releases do (0.7 and 0.6.3, translated builds, an Ethernet build).</summary>
public sealed class OpenHaspTests : FileKindTestContext
{
    [Fact]
    public async Task EveryFile_IsBackedUp_WithANoteOnTheMaskedPasswords_AndARestoreKeepsThePlatesPasswords()
    {
        var plate = Own(FakeOpenHasp.Start());
        await using var app = await StartWithAsync(plate.Host, DeviceType.OpenHasp, null);
        var config = Json(await WaitForConfigAsync(plate.Mac));
        Assert.Equal(("plate", "0.7.0-rc13"), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(plate.Mac);
        Assert.EndsWith("-v0.7.0-rc13.zip", backup, StringComparison.Ordinal);
        Assert.Contains("masked", (string?)Events("backup_succeeded")[^1]["note"], StringComparison.Ordinal);
        var entries = Entries(backup);
        Assert.Equal(["boot.cmd", "config.json", "fonts/roboto-24.bin", "info.json", "offline.cmd", "online.cmd", "pages.jsonl"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("secret", System.Text.Encoding.UTF8.GetString(entries["config.json"]), StringComparison.Ordinal);

        plate.SetFile("pages.jsonl", "{\"page\":1,\"id\":0,\"obj\":\"btn\",\"text\":\"Changed\"}\n"u8.ToArray());
        plate.SetFile("boot.cmd", null);

        var done = await RestoreAsync(plate.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(entries["pages.jsonl"], plate.File("pages.jsonl"));
        Assert.Equal(entries["boot.cmd"], plate.File("boot.cmd"));
        Assert.Equal(("wifi-secret", "mqtt-secret"), (plate.StoredPassword("wifi"), plate.StoredPassword("mqtt")));
        Assert.Equal("config.json", plate.Written[^1]);
        Assert.Equal(1, plate.Restarts);
    }

    [Fact]
    public async Task TwoPlatesBehindOneAccessPoint_AreTwoDevices_EachWithItsOwnMacAndBackups()
    {
        // One English and one French build on the same access point: both Wifi blocks start with its BSSID.
        var hall = Own(FakeOpenHasp.Start());
        var kitchen = Own(FakeOpenHasp.Start(language: "fr_FR"));
        Assert.Equal(hall.Bssid, kitchen.Bssid);
        await using var app = await StartWithAsync(new DeviceOption(hall.Host, DeviceType.OpenHasp, "Hall", null), new DeviceOption(kitchen.Host, DeviceType.OpenHasp, "Kitchen", null));

        await WaitForConfigAsync(hall.Mac);
        await WaitForConfigAsync(kitchen.Mac);
        var registry = app.Get<DeviceRegistry>();
        Assert.Equal(2, registry.Count);
        Assert.Null(registry.Find(Mac.Parse(hall.Bssid)));
        Assert.Equal((hall.Ip, kitchen.Ip), (registry.Find(Mac.Parse(hall.Mac))!.Ip, registry.Find(Mac.Parse(kitchen.Mac))!.Ip));

        Assert.StartsWith("Hall/" + hall.Mac.ToUpperInvariant() + "-", await BackUpAsync(hall.Mac), StringComparison.Ordinal);
        Assert.StartsWith("Kitchen/" + kitchen.Mac.ToUpperInvariant() + "-", await BackUpAsync(kitchen.Mac), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryNamedAfterTheAccessPoint_ByAnOlderVersion_NeitherBacksUpNorRestoresTheWrongPlate()
    {
        var plate = Own(FakeOpenHasp.Start());
        await using var app = await StartWithAsync(plate.Host, DeviceType.OpenHasp, null);
        await WaitForConfigAsync(plate.Mac);
        var backup = await BackUpAsync(plate.Mac);

        // The row an older version made: the access point's MAC, at this plate's address.
        var router = Mac.Parse(plate.Bssid);
        await app.Get<DeviceRegistry>().ApplyAsync(new DeviceObservation(router, DeviceType.OpenHasp) { Name = "Old plate", Ip = plate.Ip, ConfiguredHost = plate.Host }, CancellationToken.None);
        var failed = await FailedBackupAsync(router.ToString());
        Assert.Equal($"the plate at {plate.Host} is {plate.Mac.ToUpperInvariant()}, not {router}: another plate answers at this address (or this entry was named after the access point's MAC by an older version)", (string?)failed["reason"]);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plate.Mac}}","backup":"{{backup}}","target":"{{router}}"}""");
        var done = await RestoreEndAsync();

        Assert.Equal("restore_failed", (string?)done["event_type"]);
        Assert.Empty(plate.Written);
        Assert.Equal(0, plate.Restarts);
    }

    [Fact]
    public async Task APlateOn063_IsRestored_WithoutSendingItsUnchangedConfigJson_SoItKeepsItsPasswords()
    {
        var plate = Own(FakeOpenHasp.Start("0.6.3", "fr_FR"));
        await using var app = await StartWithAsync(plate.Host, DeviceType.OpenHasp, null);
        var config = Json(await WaitForConfigAsync(plate.Mac));
        Assert.Equal("0.6.3", (string?)config["device"]!["sw_version"]);
        var backup = await BackUpAsync(plate.Mac);
        Assert.Contains("keeps them in config.json", (string?)Events("backup_succeeded")[^1]["note"], StringComparison.Ordinal);
        plate.SetFile("pages.jsonl", "{\"page\":1,\"id\":0,\"obj\":\"btn\",\"text\":\"Changed\"}\n"u8.ToArray());

        var done = await RestoreAsync(plate.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(Entries(backup)["pages.jsonl"], plate.File("pages.jsonl"));
        Assert.DoesNotContain("config.json", plate.Written);
        Assert.Equal(("wifi-secret", "mqtt-secret"), (plate.StoredPassword("wifi"), plate.StoredPassword("mqtt")));
        Assert.Equal(1, plate.Restarts);
    }

    [Fact]
    public async Task APlateOn063WhoseConfigJsonChanged_IsNotRestored_RatherThanLoseItsPasswords()
    {
        var plate = Own(FakeOpenHasp.Start("0.6.3"));
        await using var app = await StartWithAsync(plate.Host, DeviceType.OpenHasp, null);
        await WaitForConfigAsync(plate.Mac);
        var backup = await BackUpAsync(plate.Mac);
        var changed = System.Text.Json.Nodes.JsonNode.Parse(plate.File("config.json")!)!;
        changed["gui"]!["idle1"] = 30;
        plate.SetFile("config.json", System.Text.Encoding.UTF8.GetBytes(changed.ToJsonString()));

        var done = await RestoreAsync(plate.Mac, backup);

        Assert.Equal("restore_failed", (string?)done["event_type"]);
        Assert.Contains("keeps its Wi-Fi, MQTT and web passwords in config.json", (string?)done["reason"], StringComparison.Ordinal);
        Assert.Contains("Update the plate to openHASP 0.7", (string?)done["reason"], StringComparison.Ordinal);
        Assert.Empty(plate.Written);
        Assert.Equal(0, plate.Restarts);
        Assert.Equal(("wifi-secret", "mqtt-secret"), (plate.StoredPassword("wifi"), plate.StoredPassword("mqtt")));
    }

    [Fact]
    public async Task AnEthernetPlate_IsListedWithWhyItIsNotIdentified_UntilItsDiscoveryMessageTellsItsMac_ThenBackedUpAndRestored()
    {
        var plate = Own(FakeOpenHasp.Start(ethernet: true));
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            AnnounceDiscovery = true,
            Devices = [new DeviceOption(plate.Host, DeviceType.OpenHasp, "Lanbon", null)],
        };
        await using var app = await StartAppAsync(options, services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, new TasmoGuardian.Backups.Restore.RestoreSettings { RestartLimit = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(200) }));

        var reason = await UnidentifiedReasonAsync(plate.Host);
        Assert.StartsWith("/api/info/ has no \"Wifi\" block, so no MAC", reason, StringComparison.Ordinal);

        await PublishAsync($"hasp/discovery/{plate.Hwid}", plate.Discovery());
        await WaitForConfigAsync(plate.Mac);
        var backup = await BackUpAsync(plate.Mac);
        var entries = Entries(backup);
        Assert.Equal(plate.Discovery(), System.Text.Encoding.UTF8.GetString(entries["discovery.json"]));
        plate.SetFile("boot.cmd", null);

        var done = await RestoreAsync(plate.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(entries["boot.cmd"], plate.File("boot.cmd"));
        Assert.DoesNotContain("discovery.json", plate.Written);
    }

    [Fact]
    public async Task ABackupOfOnePlate_IsRefusedOnAnother_BeforeAnythingIsSent()
    {
        var plate = Own(FakeOpenHasp.Start());
        var other = Own(FakeOpenHasp.Start());
        await using var app = await StartWithAsync(new DeviceOption(plate.Host, DeviceType.OpenHasp, "Hall", null), new DeviceOption(other.Host, DeviceType.OpenHasp, "Kitchen", null));
        await WaitForConfigAsync(plate.Mac);
        await WaitForConfigAsync(other.Mac);
        var backup = await BackUpAsync(plate.Mac);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plate.Mac}}","backup":"{{backup}}","target":"{{other.Mac}}"}""");
        var done = await RestoreEndAsync();

        Assert.Equal("restore_failed", (string?)done["event_type"]);
        Assert.Contains("Restore it onto the device it came from", (string?)done["reason"], StringComparison.Ordinal);
        Assert.Empty(other.Written);
    }
}
