using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// Issue 18 for Tasmota: fake devices that answer as each firmware shape does (tests/fixtures/tasmota), found over MQTT
/// and by host, backed up and restored; one device is one device, whatever access point, gateway or Ethernet port its
/// answers name.
/// </summary>
public sealed class TasmotaFirmwareTests : IntegrationContext
{
    private static readonly RestoreSettings QuickRestart = new() { RestartLimit = TimeSpan.FromSeconds(8), PollInterval = TimeSpan.FromMilliseconds(250) };

    [Theory]
    [InlineData("9.2.0", "en")]
    [InlineData("13.0.0", "de")]
    [InlineData("14.4.1", "en")]
    [InlineData("15.1.0", "de")]
    public async Task EveryShape_GivenByHost_IsIdentified_BackedUp_AndRestored(string release, string language)
    {
        var device = Own(FakeTasmota.Start($"Shape {release}", version: release, platform: TasmotaShape.For(release).IsEsp32 ? (byte)1 : (byte)0));
        device.Language = language;
        device.RestartTime = TimeSpan.FromSeconds(1);
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, Devices = [new DeviceOption(device.Host, DeviceType.Tasmota, null, null)] };
        await using var app = await StartAppAsync(options, Quick);

        var config = Json(await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device identified by host"));
        Assert.Equal(($"Shape {release}", release), ((string?)config["device"]!["name"], (string?)config["device"]!["sw_version"]));
        var backup = await BackUpAsync(device);
        Assert.EndsWith($"-v{release}.dmp", backup, StringComparison.Ordinal);

        device.Dump = TasmotaDumpBuilder.Build(TasmotaDumpBuilder.VersionOf(device.Dump), TasmotaDumpBuilder.PlatformOf(device.Dump), seed: 321);
        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{device.Mac}}","backup":"latest"}""");

        var done = await RestoreEndAsync();
        Assert.Equal("restore_succeeded", (string?)done["event_type"]);
        Assert.Equal(1, device.Restarts);
    }

    [Theory]
    [InlineData("9.2.0")]
    [InlineData("13.0.0")]
    [InlineData("14.4.1")]
    [InlineData("15.1.0")]
    public async Task EveryShape_WithDiscoveryOff_IsFoundThroughItsStatusReplies(string release)
    {
        var device = await DiscoveredTasmotaAsync($"Quiet {release}", d => (d.Version, d.DiscoveryEnabled) = (release, false));

        await using var app = await StartAppAsync();

        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["name"] == device.Name && (string?)c["device"]!["sw_version"] == release, "the device with its name and version");
        var found = app.Get<DeviceRegistry>().Find(Mac.Parse(device.Mac))!;
        Assert.Equal((device.Address.ToString(), device.Hostname), (found.Ip, found.Hostname));
        Assert.Equal(1, app.Get<DeviceRegistry>().Count);
    }

    [Fact]
    public async Task TwoDevicesBehindOneAccessPoint_AreTwoDevices_EachWithItsOwnMac()
    {
        // Both answer from the same fixture: the same Gateway, DNS server and access point (StatusSTS.Wifi.BSSId).
        var first = await DiscoveredTasmotaAsync("Left", d => (d.Version, d.DiscoveryEnabled) = ("15.1.0", false));
        var second = await DiscoveredTasmotaAsync("Right", d => (d.Version, d.DiscoveryEnabled) = ("15.1.0", false));

        await using var app = await StartAppAsync();

        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "two devices on the hub");
        var macs = Sql.Query(Folder.Database, "SELECT mac FROM devices").Select(r => (string?)r["mac"]).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { first.Mac, second.Mac }.Order(StringComparer.Ordinal), macs);
        await BackUpAsync(first);
        await BackUpAsync(second);
    }

    [Fact]
    public async Task AnEthernetOnlyDevice_IsReachedAtItsEthernetAddress_NeverAt0000()
    {
        var device = await DiscoveredTasmotaAsync("Wired", d =>
        {
            (d.Version, d.DiscoveryEnabled, d.WifiOff) = ("15.1.0", false, true);
            d.EthernetAddress = d.Address.ToString();
            d.ReportedAddress = "0.0.0.0";
        });

        await using var app = await StartAppAsync();

        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["configuration_url"] == $"http://{device.Address}/", "the device at its Ethernet address");
        await BackUpAsync(device);

        // Its INFO2 after a reconnection names only the Ethernet port's address (no top-level IPAddress without Wi-Fi).
        device.EthernetAddress = "10.20.30.40";
        await Fleet.PublishInfo2Async(device);
        await WaitForJsonAsync(ConfigTopic(device), c => (string?)c["device"]!["configuration_url"] == "http://10.20.30.40/", "the new Ethernet address from INFO2");
    }

    [Fact]
    public async Task AnOldEsp32WithEthernetUp_IsOneDevice_UnderTheMacDiscoveryNames()
    {
        // 9.x: STATUS5 names the Ethernet port's MAC, discovery the Wi-Fi MAC; the device is the one discovery found.
        var device = await DiscoveredTasmotaAsync("Old wired", d =>
        {
            d.Shape = TasmotaShape.V9_2_0;
            d.Version = "9.2.0";
            d.EthernetAddress = d.Address.ToString();
        });

        await using var app = await StartAppAsync();

        // Discovery gives the Ethernet host name ("…_eth"); the STATUS5 reply, read as the Ethernet port's, the device's own.
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Find(Mac.Parse(device.Mac))?.Hostname == device.Hostname, Waits.Long, "the STATUS5 reply applied to the discovered device");
        await BackUpAsync(device);

        Assert.Equal([device.Mac], Sql.Query(Folder.Database, "SELECT mac FROM devices").Select(r => (string?)r["mac"]));
    }

    [Fact]
    public async Task A92DeviceWithWebLogOff_IsListedWithWhatItSaid()
    {
        var device = Own(FakeTasmota.Start("No weblog", version: "9.2.0"));
        device.WebLogOff = true;
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, Devices = [new DeviceOption(device.Host, DeviceType.Tasmota, null, null)] };
        await using var app = await StartAppAsync(options);

        await Eventually.TrueAsync(
            () => app.LogText().Contains("/cm?cmnd=Status 0 has no MAC at \"StatusNET.Mac\": the device answered \"Enable weblog 2 if response expected\"", StringComparison.Ordinal),
            Waits.Short,
            () => app.LogText());
    }

    [Fact]
    public async Task UserMode_OnAnEsp32_IsToldApart_FromTheRestorePage()
    {
        // Every ESP32 page's head script names t.form['u2'], the main page too; only the restore page has the form.
        var device = Own(FakeTasmota.Start("User mode", port: 0, version: "15.1.0", platform: 1));
        device.Behavior = TasmotaBehavior.HtmlPage;
        var restore = new TasmoGuardian.Kinds.Tasmota.TasmotaRestore(new TasmoGuardian.Net.DeviceHttp(TasmoGuardian.Net.DeviceHttp.CreateClient(), TimeProvider.System), new GuardianOptions(), null!);
        var image = restore.Open(TasmotaDumpBuilder.Build(0x0F010000, platform: 1), null);

        var error = await Assert.ThrowsAsync<DeviceException>(() => restore.UploadAsync(new TasmoGuardian.Net.DeviceAccess(device.Host, "admin", null), image, new TasmoGuardian.Kinds.DeviceProbe("15.1.0"), _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal(FailureKind.UserMode, error.Failure.Kind);
        Assert.Empty(device.Uploads);
    }

    private static void Quick(IServiceCollection services) => services.AddSingleton(QuickRestart);
}
