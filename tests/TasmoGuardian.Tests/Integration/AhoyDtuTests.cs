using System.Text;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>AhoyDTU against a fake that answers as its firmware does (both /api/system shapes, the export, the upload that reboots).</summary>
public sealed class AhoyDtuTests : FileKindTestContext
{
    [Fact]
    public async Task EveryShape_IsIdentifiedBackedUpAndRestored_WithoutALogin_AndTwoOfAKindAreTwo()
    {
        var devices = FakeAhoyDtu.Firmwares.Select(f => Own(FakeAhoyDtu.Start(f))).Append(Own(FakeAhoyDtu.Start())).ToList();
        devices[0].Password = "admin-pw";
        await using var app = await StartWithAsync([.. devices.Select((d, i) => new DeviceOption(d.Host, DeviceType.AhoyDtu, $"DTU {i}", i == 0 ? "admin-pw" : null))]);

        foreach (var ahoy in devices)
        {
            var config = Json(await WaitForConfigAsync(ahoy.Mac));
            Assert.Equal(ahoy.Version, (string?)config["device"]!["sw_version"]);
        }

        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == devices.Count, "every AhoyDTU, each by its own MAC");
        foreach (var ahoy in devices)
        {
            var backup = await BackUpAsync(ahoy.Mac);
            Assert.Contains("MQTT password must be typed again", (string?)Events("backup_succeeded")[^1]["note"], StringComparison.Ordinal);
            var entries = Entries(backup);
            Assert.Equal(["info.json", "settings.json"], entries.Keys.Order());
            var settings = Encoding.UTF8.GetString(entries["settings.json"]);
            Assert.DoesNotContain("wifi-secret", settings, StringComparison.Ordinal);
            Assert.DoesNotContain("mqtt-secret", settings, StringComparison.Ordinal);

            ahoy.Settings["inst"]!["iv"]![0]!["name"] = "renamed";
            ahoy.Settings["ntp"]!["addr"] = "time.example";

            var done = await RestoreAsync(ahoy.Mac, backup);

            Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
            Assert.Equal(1, ahoy.Uploads);
            Assert.Equal(("HM-800", "pool.ntp.org", "wifi-secret"), ((string?)ahoy.Settings["inst"]!["iv"]![0]!["name"], (string?)ahoy.Settings["ntp"]!["addr"], (string?)ahoy.Settings["wifi"]!["pwd"]));
        }

        // Logging in would sign the user's browser out (the device lets one address in), and nothing read needs it.
        Assert.All(devices, d => Assert.DoesNotContain(d.Requests, r => r.Path == "/login"));
        Assert.Equal("admin-pw", devices[0].Password);
    }

    [Fact]
    public async Task AFailedUpload_FailsTheRestoreWithItsReason_AndTheDeviceRestartsAnyway()
    {
        var ahoy = Own(FakeAhoyDtu.Start());
        await using var app = await StartWithAsync(ahoy.Host, DeviceType.AhoyDtu, null);
        await WaitForConfigAsync(ahoy.Mac);
        var backup = await BackUpAsync(ahoy.Mac);
        ahoy.UploadFileFails = true;

        var done = await RestoreAsync(ahoy.Mac, backup);

        Assert.Equal("the device did not take settings.json (\"Upload: failed\"); it restarts with its settings unchanged", (string?)done["reason"]);
        await Eventually.TrueAsync(() => ahoy.Restarts == 1, Waits.Short, "the restart after the failed upload");
        Assert.Equal(0, ahoy.Uploads);
    }

    [Fact]
    public async Task ADeviceWithoutAMac_IsListedOnTheHub_SayingWhereTheMacWasLookedFor()
    {
        var system = FirmwareFixtures.Object("ahoydtu/ahoydtu_api_system_0.8.155_esp32.json");
        system["network"]!.AsObject().Remove("mac");
        await using var device = new FakeHttpServer(LoopbackAddresses.Next(), 80, e => e.RespondAsync(200, "application/json", Encoding.UTF8.GetBytes(FirmwareFixtures.Write(system))));
        await using var app = await StartWithAsync(device.HostAndPort, DeviceType.AhoyDtu, null);

        Assert.Equal("/api/system has no MAC at \"mac\" or \"network.mac\"", await UnidentifiedReasonAsync(device.HostAndPort));
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
