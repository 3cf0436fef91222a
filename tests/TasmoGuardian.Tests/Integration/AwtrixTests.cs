using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Awtrix 3 against fakes answering as its releases do (the file browser, settings outside files read back after the restart, /api/reboot).</summary>
public sealed class AwtrixTests : FileKindTestContext
{
    [Fact]
    public async Task EveryFileAndTheSettingsOutsideFiles_AreBackedUp_AndRestored_ColoursToo()
    {
        var clock = Own(FakeAwtrix.Start());
        clock.Password = "clock-pw";
        clock.Settings["TCOL"] = 0xFF00FF;
        clock.Settings["TIME_COL"] = 0x00FF00;
        await using var app = await StartWithAsync(clock.Host, DeviceType.Awtrix, "clock-pw");
        var id = "024157" + clock.Mac[^6..];
        var config = Json(await WaitForConfigAsync(id));
        Assert.Equal((clock.Uid, "Awtrix", "0.98"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(id);
        var entries = Entries(backup);
        Assert.Equal(["CUSTOMAPPS/weather.json", "DoNotTouch.json", "ICONS/1234.gif", "MELODIES/alarm.txt", "api_settings.json", "info.json"], entries.Keys.Order(StringComparer.Ordinal));

        clock.SetFile("ICONS/1234.gif", [0x47, 0x49, 0x46]);
        clock.SetFile("CUSTOMAPPS/weather.json", null);
        clock.Settings["BRI"] = 10;
        clock.Settings["TMODE"] = 4;
        clock.Settings["TCOL"] = 0xFFFFFF;
        clock.Settings["TIME_COL"] = 0;

        var done = await RestoreAsync(id, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(entries["ICONS/1234.gif"], clock.File("ICONS/1234.gif"));
        Assert.Equal(entries["CUSTOMAPPS/weather.json"], clock.File("CUSTOMAPPS/weather.json"));
        Assert.Equal((120, 1, 0xFF00FF, 0x00FF00), ((int?)clock.Settings["BRI"], (int?)clock.Settings["TMODE"], (int?)clock.Settings["TCOL"], (int?)clock.Settings["TIME_COL"]));
        Assert.Equal(1, clock.Restarts);
    }

    [Fact]
    public async Task ClocksOfEachRelease_OnOneNetwork_AreEachTheirOwnDevice()
    {
        var old = Own(FakeAwtrix.Start("0.90"));
        var newer = Own(FakeAwtrix.Start("0.96"));
        await using var app = await StartWithAsync(new DeviceOption(old.Host, DeviceType.Awtrix, "Old", null), new DeviceOption(newer.Host, DeviceType.Awtrix, "Newer", null));
        var oldId = "024157" + old.Mac[^6..];
        var newerId = "024157" + newer.Mac[^6..];

        Assert.Equal("0.90", (string?)Json(await WaitForConfigAsync(oldId))["device"]!["sw_version"]);
        Assert.Equal("0.96", (string?)Json(await WaitForConfigAsync(newerId))["device"]!["sw_version"]);
        var registry = app.Get<DeviceRegistry>();
        Assert.Equal((2, old.Ip, newer.Ip), (registry.Count, registry.Find(Mac.Parse(oldId))!.Ip, registry.Find(Mac.Parse(newerId))!.Ip));
        Assert.EndsWith("-v0.90.zip", await BackUpAsync(oldId), StringComparison.Ordinal);
        Assert.EndsWith("-v0.96.zip", await BackUpAsync(newerId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileCutShort_FailsTheBackup_AndSavesNothing()
    {
        var clock = Own(FakeAwtrix.Start());
        await using var app = await StartWithAsync(clock.Host, DeviceType.Awtrix, null);
        var id = "024157" + clock.Mac[^6..];
        await WaitForConfigAsync(id);
        clock.CutsShort = "MELODIES/alarm.txt";

        var failed = await FailedBackupAsync(id);

        Assert.StartsWith("MELODIES/alarm.txt came with", (string?)failed["reason"], StringComparison.Ordinal);
        Assert.True(NoBackupFiles());
    }
}
