using System.Text.Json.Nodes;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>OpenDTU against a fake that answers as its firmware does (file routes old and new, auth, the gzip web app for unknown paths, a restart per upload).</summary>
public sealed class OpenDtuTests : FileKindTestContext
{
    [Fact]
    public async Task BacksUpEveryListedFile_WithTheFactoryPassword_AndRestoresThemOneRestartEach()
    {
        var dtu = Own(FakeOpenDtu.Start());
        await using var app = await StartWithAsync(dtu.Host, DeviceType.OpenDtu, null);
        var config = Json(await WaitForConfigAsync(dtu.Mac));
        Assert.Equal((dtu.Hostname, "OpenDTU", "26.3.30"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(dtu.Mac);
        var entries = Entries(backup);
        Assert.Equal(["config.json", "info.json", "pin_mapping.json"], entries.Keys.Order());
        Assert.Equal(dtu.File("config.json"), entries["config.json"]);
        Assert.All(dtu.Requests.Where(r => r.Path.StartsWith("/api/file/", StringComparison.Ordinal)), r => Assert.NotNull(r.Header("Authorization")));

        var original = dtu.File("pin_mapping.json");
        dtu.SetFile("config.json", """{"cfg":{"version":73216,"save_count":30},"wifi":{"ssid":"other"}}"""u8.ToArray());
        dtu.SetFile("pin_mapping.json", "[]"u8.ToArray());

        var done = await RestoreAsync(dtu.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(["pin_mapping.json", "config.json"], dtu.Uploaded);
        Assert.Equal(2, dtu.Restarts);
        Assert.Equal(original, dtu.File("pin_mapping.json"));
        Assert.Equal("home", (string?)JsonNode.Parse(dtu.File("config.json"))!["wifi"]!["ssid"]);
        Assert.NotNull((string?)done["pre_restore_backup"]);
    }

    [Fact]
    public async Task OlderFirmware_IsBackedUpAndRestoredThroughTheConfigRoutes_NotTheWebAppItServesForTheNewOnes()
    {
        var dtu = Own(FakeOpenDtu.Start("v24.10.15"));
        await using var app = await StartWithAsync(dtu.Host, DeviceType.OpenDtu, null);
        Assert.Equal("24.10.15", (string?)Json(await WaitForConfigAsync(dtu.Mac))["device"]!["sw_version"]);

        var backup = await BackUpAsync(dtu.Mac);

        Assert.Equal(dtu.File("config.json"), Entries(backup)["config.json"]);
        Assert.Contains(dtu.Requests, r => r.Path == "/api/file/list");
        Assert.Contains(dtu.Requests, r => r.Path == "/api/config/get");

        dtu.SetFile("config.json", """{"cfg":{"version":72704,"save_count":18},"wifi":{"ssid":"other"}}"""u8.ToArray());
        var done = await RestoreAsync(dtu.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(["pin_mapping.json", "config.json"], dtu.Uploaded);
        Assert.Equal(dtu.File("config.json"), Entries(backup)["config.json"]);
    }

    [Fact]
    public async Task TwoBehindOneAccessPoint_AreTwoDevices_AndOneMovingToEthernet_StaysTheSameDevice()
    {
        var first = Own(FakeOpenDtu.Start());
        var second = Own(FakeOpenDtu.Start());
        await using var app = await StartWithAsync(new DeviceOption(first.Host, DeviceType.OpenDtu, null, null), new DeviceOption(second.Host, DeviceType.OpenDtu, null, null));
        await WaitForConfigAsync(first.Mac);
        await WaitForConfigAsync(second.Mac);
        Assert.Equal(first.Bssid, second.Bssid);

        // Now on a cable: network_mac is the Ethernet MAC, the hostname the user gave it with the move.
        second.Ethernet = true;
        second.Hostname = "OpenDTU-cable";
        await PressAsync("tasmo_guardian/hub/refresh");
        var registry = app.Get<DeviceRegistry>();
        await Eventually.TrueAsync(() => registry.Find(Mac.Parse(second.Mac))?.Name == "OpenDTU-cable", Waits.Long, () => string.Join(", ", registry.Snapshot().Select(d => $"{d.Mac} {d.Name}")));

        Assert.Equal(2, registry.Count);
        Assert.Null(registry.Find(Mac.Parse(second.EthernetMac)));
        Assert.NotNull(await BackUpAsync(second.Mac));
    }

    [Fact]
    public async Task ADeviceWithoutAMac_IsListedOnTheHub_SayingWhereTheMacWasLookedFor()
    {
        var network = FirmwareFixtures.Object("opendtu/opendtu_api_network_status_v26.3.30_ethernet.json");
        network["network_mac"] = "";
        await using var device = new FakeHttpServer(LoopbackAddresses.Next(), 80, e => e.RespondAsync(200, "application/json", e.Request.Path == "/api/network/status"
            ? System.Text.Encoding.UTF8.GetBytes(FirmwareFixtures.Write(network))
            : FirmwareFixtures.Bytes("opendtu/opendtu_api_system_status_v26.3.30_esp32.json")));
        await using var app = await StartWithAsync(device.HostAndPort, DeviceType.OpenDtu, null);

        Assert.Equal("/api/network/status has no MAC at \"network_mac\"", await UnidentifiedReasonAsync(device.HostAndPort));
    }

    [Fact]
    public async Task AChangedPassword_FailsWithThePasswordReason_AndAWebAppEverywhere_FailsAsAWebPage()
    {
        var locked = Own(FakeOpenDtu.Start());
        await using var app = await StartWithAsync(locked.Host, DeviceType.OpenDtu, null);
        await WaitForConfigAsync(locked.Mac);
        locked.Password = "changed";

        var failed = await FailedBackupAsync(locked.Mac);
        Assert.Equal("wrong password (HTTP 401)", (string?)failed["reason"]);

        locked.Password = "openDTU42";
        locked.ServesWebPage = true;
        var page = await FailedBackupAsync(locked.Mac);
        Assert.Contains("web page", (string?)page["reason"], StringComparison.Ordinal);
        Assert.True(NoBackupFiles());
    }
}
