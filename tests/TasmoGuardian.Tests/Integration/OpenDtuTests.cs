using System.Text.Json.Nodes;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>OpenDTU against a fake that behaves like its firmware (file routes old and new, auth, the web app for unknown paths, a restart per upload).</summary>
public sealed class OpenDtuTests : FileKindTestContext
{
    [Fact]
    public async Task BacksUpEveryListedFile_WithTheFactoryPassword_AndRestoresThemOneRestartEach()
    {
        var dtu = Own(FakeOpenDtu.Start());
        await using var app = await StartWithAsync(dtu.Host, DeviceType.OpenDtu, null);
        var config = Json(await WaitForConfigAsync(dtu.Mac));
        Assert.Equal(("OpenDTU-07F614", "OpenDTU", "24.11.7"), ((string?)config["device"]!["name"], (string?)config["device"]!["manufacturer"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(dtu.Mac);
        var entries = Entries(backup);
        Assert.Equal(["config.json", "info.json", "pin_mapping.json"], entries.Keys.Order());
        Assert.Equal(dtu.File("config.json"), entries["config.json"]);
        Assert.All(dtu.Requests.Where(r => r.Path.StartsWith("/api/file/", StringComparison.Ordinal)), r => Assert.NotNull(r.Header("Authorization")));

        var original = dtu.File("pin_mapping.json");
        dtu.SetFile("config.json", """{"cfg":{"version":16777984,"save_count":30},"wifi":{"ssid":"other"}}"""u8.ToArray());
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
    public async Task OlderFirmware_IsReadThroughTheConfigRoutes_NotTheWebAppItServesForTheNewOnes()
    {
        var dtu = Own(FakeOpenDtu.Start());
        dtu.Version = "v24.10.15";
        await using var app = await StartWithAsync(dtu.Host, DeviceType.OpenDtu, null);
        await WaitForConfigAsync(dtu.Mac);

        var backup = await BackUpAsync(dtu.Mac);

        Assert.Equal(dtu.File("config.json"), Entries(backup)["config.json"]);
        Assert.Contains(dtu.Requests, r => r.Path == "/api/file/list");
        Assert.Contains(dtu.Requests, r => r.Path == "/api/config/get");
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
