using System.Text.Json;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Demo;

/// <summary>
/// One simulated device of each of the nine kinds, each answering from the same captured firmware answers the tests use
/// (tests/fixtures), on free ports of 127.0.0.1 so a normal user can run it; Tasmota's MQTT side and AI-on-the-Edge's
/// MAC go to the broker as the real firmware sends them.
/// </summary>
internal sealed class DemoFleet : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<Dictionary<string, object>> _devices = [];

    public IReadOnlyList<Dictionary<string, object>> Devices => _devices;

    public static async Task<DemoFleet> StartAsync(string brokerHost, int brokerPort)
    {
        LoopbackAddresses.UnprivilegedPorts = true;
        var demo = new DemoFleet();
        var fleet = demo.Own(await FakeTasmotaFleet.StartAsync(brokerHost, brokerPort, null, null));

        foreach (var (name, shape) in new[] { ("Kitchen plug", TasmotaShape.V13_0_0), ("Garden pump", TasmotaShape.V15_1_0) })
        {
            var plug = demo.Own(FakeTasmota.Start(name, port: 0, version: shape.Release, platform: (byte)(shape.IsEsp32 ? 1 : 0), shape: shape));
            fleet.Add(plug);
            await fleet.PublishDiscoveryAsync(plug);
            demo.Given(plug.Host, "tasmota", name);
        }

        demo.Given(demo.Own(FakeWled.Start(port: 0)).Host, "wled", "Desk strip");
        demo.Given(demo.Own(FakeShelly.Start(ShellyFirmware.Gen1)).Host, "shelly", "Boiler relay");
        demo.Given(demo.Own(FakeShelly.Start(ShellyFirmware.Gen2)).Host, "shelly", "Hall light");
        demo.Given(demo.Own(FakeOpenDtu.Start()).Host, "opendtu", "Balcony solar");
        demo.Given(demo.Own(FakeAhoyDtu.Start()).Host, "ahoydtu", "Roof solar");
        var meter = demo.Own(FakeAiOnTheEdge.Start());
        await fleet.PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);

        // The app pairs the MAC with the device given by address through this announced IP (its own look at port 80
        // of that IP finds nothing here, and says so once in the log).
        await fleet.PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        demo.Given(meter.Host, "ai_on_the_edge", "Water meter");
        demo.Given(demo.Own(FakeAwtrix.Start()).Host, "awtrix", "Living room clock");
        demo.Given(demo.Own(FakeOpenHasp.Start()).Host, "openhasp", "Wall plate");
        return demo;
    }

    /// <summary>The add-on's options for this fleet: the broker, backups in <paramref name="folder"/>, no schedule.</summary>
    public string Options(string brokerHost, int brokerPort, string folder) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["mqtt_host"] = brokerHost,
        ["mqtt_port"] = brokerPort,
        ["backup_dir"] = Path.Combine(folder, "backups"),
        ["schedule"] = "",
        ["backup_min_hours"] = 0,
        ["devices"] = _devices,
    }, new JsonSerializerOptions { WriteIndented = true });

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    private T Own<T>(T device)
        where T : IAsyncDisposable
    {
        _owned.Add(device);
        return device;
    }

    private void Given(string host, string type, string name) =>
        _devices.Add(new Dictionary<string, object> { ["host"] = host, ["type"] = type, ["name"] = name });
}
