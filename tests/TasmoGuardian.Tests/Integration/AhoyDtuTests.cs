using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>AhoyDTU against a fake that behaves like its firmware (the export without passwords, the login, the upload that reboots).</summary>
public sealed class AhoyDtuTests : FileKindTestContext
{
    [Fact]
    public async Task TheExport_IsBackedUpWithANoteOnThePasswords_AndRestored_KeepingTheWifiPassword()
    {
        var ahoy = Own(FakeAhoyDtu.Start());
        ahoy.Password = "admin-pw";
        await using var app = await StartWithAsync(ahoy.Host, DeviceType.AhoyDtu, "admin-pw");
        var config = Json(await WaitForConfigAsync(ahoy.Mac));
        Assert.Equal(("AHOY-DTU", "0.8.155"), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(ahoy.Mac);
        var succeeded = Events("backup_succeeded")[^1];
        Assert.Contains("leaves out every password", (string?)succeeded["note"], StringComparison.Ordinal);
        var entries = Entries(backup);
        Assert.Equal(["info.json", "settings.json"], entries.Keys.Order());
        Assert.DoesNotContain("secret", System.Text.Encoding.UTF8.GetString(entries["settings.json"]), StringComparison.Ordinal);

        ahoy.Settings["inst"]!["iv"]![0]!["name"] = "renamed";
        ahoy.Settings["ntp"]!["addr"] = "time.example";

        var done = await RestoreAsync(ahoy.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(1, ahoy.Uploads);
        Assert.Equal(("HM-800", "pool.ntp.org", "wifi-secret"), ((string?)ahoy.Settings["inst"]!["iv"]![0]!["name"], (string?)ahoy.Settings["ntp"]!["addr"], (string?)ahoy.Settings["wifi"]!["pwd"]));
    }

    [Fact]
    public async Task AWebPageInsteadOfTheExport_SavesNothing()
    {
        var ahoy = Own(FakeAhoyDtu.Start());
        await using var app = await StartWithAsync(ahoy.Host, DeviceType.AhoyDtu, null);
        await WaitForConfigAsync(ahoy.Mac);
        ahoy.ServesWebPage = true;

        var failed = await FailedBackupAsync(ahoy.Mac);

        Assert.Equal("/api/system is a web page, not the device's data", (string?)failed["reason"]);
        Assert.True(NoBackupFiles());
    }
}
