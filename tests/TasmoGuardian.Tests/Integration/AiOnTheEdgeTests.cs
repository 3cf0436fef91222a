using System.Text;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>AI-on-the-Edge against fakes answering as its releases do (16.1.0 and 15.7.0: the MAC only over MQTT, delete before upload, the MD5 answer only on 16, 303 for other files, /starttime).</summary>
public sealed class AiOnTheEdgeTests : FileKindTestContext
{
    [Fact]
    public async Task ItsMac_ComesFromMqtt_TheBackupHoldsConfigAndAlignmentImages_AndARestoreIsCheckedByMd5()
    {
        var meter = Own(FakeAiOnTheEdge.Start());
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        await using var app = await StartWithAsync(meter.Host, DeviceType.AiOnTheEdge, null);
        var config = Json(await WaitForConfigAsync(meter.Mac));
        Assert.Equal(("watermeter", "16.1.0"), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(meter.Mac);
        Assert.EndsWith("-v16.1.0.zip", backup, StringComparison.Ordinal);
        var entries = Entries(backup);
        Assert.Equal(["config/config.ini", "config/ref0.jpg", "config/ref1.jpg", "config/reference.jpg", "info.json"], entries.Keys.Order());
        Assert.Contains("Release: v16.1.0 (Commit: a1ccda2)", Encoding.UTF8.GetString(entries["info.json"]), StringComparison.Ordinal);
        var shipped = Fixtures.Bytes("ai_on_the_edge/ai_on_the_edge_config_v16.1.0.ini");
        Assert.Equal(shipped, entries["config/config.ini"]);

        meter.SetFile("config/config.ini", "[Alignment]\n/config/ref0.jpg 1 1\n"u8.ToArray());
        meter.SetFile("config/ref1.jpg", null);

        var done = await RestoreAsync(meter.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(shipped, meter.File("config/config.ini"));
        Assert.Equal(FakeAiOnTheEdge.Jpeg(2), meter.File("config/ref1.jpg"));
        Assert.Equal(1, meter.Restarts);
        Assert.Contains("config/config.ini", meter.Deleted);
        Assert.All(meter.Requests.Where(r => r.Path.StartsWith("/upload/", StringComparison.Ordinal)), r => Assert.Equal("?md5", r.Query));
        Assert.DoesNotContain(meter.Requests, r => r.Path.Contains("wlan.ini", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task On15_WithoutMd5AndWithAnImageAnsweredBy303_TheRestoreReadsTheFilesBack()
    {
        // An alignment image under a name of its own: the firmware answers its upload with 303 See Other.
        var config = Encoding.UTF8.GetBytes(Fixtures.Text("ai_on_the_edge/ai_on_the_edge_config_v15.7.0.ini").Replace("/config/ref1.jpg", "/config/ref_wall.jpg", StringComparison.Ordinal));
        var meter = Own(FakeAiOnTheEdge.Start("v15.7.0", config));
        meter.SetFile("config/ref_wall.jpg", FakeAiOnTheEdge.Jpeg(9));
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        await using var app = await StartWithAsync(meter.Host, DeviceType.AiOnTheEdge, null);
        Assert.Equal("15.7.0", (string?)Json(await WaitForConfigAsync(meter.Mac))["device"]!["sw_version"]);
        var backup = await BackUpAsync(meter.Mac);
        Assert.Contains("config/ref_wall.jpg", Entries(backup).Keys);
        meter.SetFile("config/ref_wall.jpg", FakeAiOnTheEdge.Jpeg(10));

        var done = await RestoreAsync(meter.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(FakeAiOnTheEdge.Jpeg(9), meter.File("config/ref_wall.jpg"));
        Assert.Equal(config, meter.File("config/config.ini"));
        Assert.Equal(1, meter.Restarts);
    }

    [Fact]
    public async Task AnUploadStoredWrong_FailsTheRestore_WithTheChecksum()
    {
        var meter = Own(FakeAiOnTheEdge.Start());
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        await using var app = await StartWithAsync(meter.Host, DeviceType.AiOnTheEdge, null);
        await WaitForConfigAsync(meter.Mac);
        var backup = await BackUpAsync(meter.Mac);
        meter.CorruptsUploads = true;

        var done = await RestoreAsync(meter.Mac, backup);

        Assert.Equal("restore_failed", (string?)done["event_type"]);
        Assert.Contains("another checksum than the backup's", (string?)done["reason"], StringComparison.Ordinal);
        Assert.Equal(0, meter.Restarts);
    }

    [Fact]
    public async Task WithoutARetainedMac_TheHubSaysWhatToDo_AndTheDeviceIsAskedToPublishIt_ThenBothMetersAreListed()
    {
        // Two meters on one network: one with RetainMessages = true, one with the default (nothing retained).
        var retained = Own(FakeAiOnTheEdge.Start());
        retained.MainTopic = "watermeter";
        var fresh = Own(FakeAiOnTheEdge.Start("v15.7.0"));
        fresh.Hostname = fresh.MainTopic = "gasmeter";
        await PublishAsync($"{retained.MainTopic}/MAC", retained.ColonMac, retain: true);
        await PublishAsync($"{retained.MainTopic}/IP", retained.Ip, retain: true);
        var publish = false;
        fresh.PublishRequested += (_, _) => Volatile.Write(ref publish, true);
        await using var app = await StartWithAsync(new DeviceOption(retained.Host, DeviceType.AiOnTheEdge, null, null), new DeviceOption(fresh.Host, DeviceType.AiOnTheEdge, null, null));

        var reason = await UnidentifiedReasonAsync(fresh.Host);
        Assert.Contains("RetainMessages = true", reason, StringComparison.Ordinal);
        Assert.Contains("<main topic>/MAC", reason, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Volatile.Read(ref publish), Waits.Long, "the device to be asked for its MAC (/mqtt_publish_discovery)");
        Assert.Equal(0, app.Get<DeviceRegistry>().Snapshot().Count(d => d.Mac == Mac.Parse(fresh.Mac)));

        // Its next round: the static topics, not retained.
        await PublishAsync($"{fresh.MainTopic}/MAC", fresh.ColonMac);
        await PublishAsync($"{fresh.MainTopic}/IP", fresh.Ip);

        await WaitForConfigAsync(fresh.Mac);
        await WaitForConfigAsync(retained.Mac);
        var registry = app.Get<DeviceRegistry>();
        Assert.Equal((2, "gasmeter", "watermeter"), (registry.Count, registry.Find(Mac.Parse(fresh.Mac))!.Name, registry.Find(Mac.Parse(retained.Mac))!.Name));
    }
}
