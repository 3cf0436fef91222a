using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>AI-on-the-Edge against a fake that behaves like its firmware (MAC only over MQTT, delete before upload, the MD5 answer, /starttime).</summary>
public sealed class AiOnTheEdgeTests : FileKindTestContext
{
    private static byte[] Config => Fixtures.Bytes("ai_on_the_edge/ai_on_the_edge_config_v15.ini");

    [Fact]
    public async Task ItsMac_ComesFromMqtt_TheBackupHoldsConfigAndAlignmentImages_AndARestoreIsCheckedByMd5()
    {
        var meter = Own(FakeAiOnTheEdge.Start(Config));
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        await using var app = await StartWithAsync(meter.Host, DeviceType.AiOnTheEdge, null);
        var config = Json(await WaitForConfigAsync(meter.Mac));
        Assert.Equal(("watermeter", "15.7.0"), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));

        var backup = await BackUpAsync(meter.Mac);
        var entries = Entries(backup);
        Assert.Equal(["config/config.ini", "config/ref0.jpg", "config/ref1.jpg", "config/reference.jpg", "info.json"], entries.Keys.Order());
        Assert.DoesNotContain(meter.Requests, r => r.Path.Contains("wlan.ini", StringComparison.OrdinalIgnoreCase));

        meter.SetFile("config/config.ini", "[Alignment]\n/config/ref0.jpg 1 1\n"u8.ToArray());
        meter.SetFile("config/ref1.jpg", null);

        var done = await RestoreAsync(meter.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(Config, meter.File("config/config.ini"));
        Assert.Equal(FakeAiOnTheEdge.Jpeg(2), meter.File("config/ref1.jpg"));
        Assert.Equal(1, meter.Restarts);
        Assert.Contains("config/config.ini", meter.Deleted);
    }

    [Fact]
    public async Task AnUploadStoredWrong_FailsTheRestore_WithTheChecksum()
    {
        var meter = Own(FakeAiOnTheEdge.Start(Config));
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
    public async Task WithoutItsMqtt_TheDeviceIsNotListed_AndTheLogSaysWhy()
    {
        var meter = Own(FakeAiOnTheEdge.Start(Config));
        await using var app = await StartWithAsync(meter.Host, DeviceType.AiOnTheEdge, null);

        await Eventually.TrueAsync(() => app.Logs.Entries.Any(l => l.Message.Contains("tells it only over MQTT", StringComparison.Ordinal)), Waits.Long, "the log line");
        Assert.Equal(0, app.Get<DeviceRegistry>().Count);
    }
}
