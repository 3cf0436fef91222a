using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Awtrix 3 against a fake that behaves like its firmware (the file browser, settings outside files, /api/reboot).</summary>
public sealed class AwtrixTests : FileKindTestContext
{
    [Fact]
    public async Task EveryFileAndTheSettingsOutsideFiles_AreBackedUp_AndRestored()
    {
        var clock = Own(FakeAwtrix.Start());
        clock.Password = "clock-pw";
        await using var app = await StartWithAsync(clock.Host, DeviceType.Awtrix, "clock-pw");
        var id = "024157" + clock.Mac[^6..];
        var config = Json(await WaitForConfigAsync(id));
        Assert.Equal((clock.Uid, "Awtrix"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"]));

        var backup = await BackUpAsync(id);
        var entries = Entries(backup);
        Assert.Equal(["CUSTOMAPPS/weather.json", "DoNotTouch.json", "ICONS/1234.gif", "MELODIES/alarm.txt", "api_settings.json", "info.json"], entries.Keys.Order(StringComparer.Ordinal));

        clock.SetFile("ICONS/1234.gif", [0x47, 0x49, 0x46]);
        clock.SetFile("CUSTOMAPPS/weather.json", null);
        clock.Settings["BRI"] = 10;
        clock.Settings["TMODE"] = 4;

        var done = await RestoreAsync(id, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(entries["ICONS/1234.gif"], clock.File("ICONS/1234.gif"));
        Assert.Equal(entries["CUSTOMAPPS/weather.json"], clock.File("CUSTOMAPPS/weather.json"));
        Assert.Equal((120, 1), ((int?)clock.Settings["BRI"], (int?)clock.Settings["TMODE"]));
        Assert.Equal(1, clock.Restarts);
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
