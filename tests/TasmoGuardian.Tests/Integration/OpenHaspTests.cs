using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>openHASP against a fake that behaves like its firmware (masked passwords in config.json, the file browser, /reboot).</summary>
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
        Assert.Contains("masked", (string?)Events("backup_succeeded")[^1]["note"], StringComparison.Ordinal);
        var entries = Entries(backup);
        Assert.Equal(["boot.cmd", "config.json", "fonts/roboto-24.bin", "info.json", "pages.jsonl"], entries.Keys.Order(StringComparer.Ordinal));
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
    public async Task ABackupOfOnePlate_IsRefusedOnAnother_BeforeAnythingIsSent()
    {
        var plate = Own(FakeOpenHasp.Start());
        var other = Own(FakeOpenHasp.Start());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaDiscovery = false,
            AnnounceDiscovery = false,
            Devices = [new TasmoGuardian.Configuration.DeviceOption(plate.Host, DeviceType.OpenHasp, "Hall", null), new TasmoGuardian.Configuration.DeviceOption(other.Host, DeviceType.OpenHasp, "Kitchen", null)],
        };
        await using var app = await StartAppAsync(options);
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
