using System.Globalization;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>
/// A mixed fleet of fake devices of all nine kinds (Tasmota by MQTT discovery, the rest given by address), every answer
/// of the file-based fakes taking D ms and every Tasmota /dl D ms. Measures a backup-all of the real program, as its
/// own process, against the sum of the devices' own answer times: every request the fakes answered during the run
/// times D. What is above that sum is the program's own time.
/// </summary>
internal static class MixedFleetBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var count) ? count : 100;
        var delay = TimeSpan.FromMilliseconds(args.SkipWhile(a => a != "--delay-ms").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(20));
        var program = args.SkipWhile(a => a != "--program").Skip(1).FirstOrDefault();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await FakeTasmotaFleet.StartAsync(broker);
        await using var recorder = await MessageRecorder.StartAsync(broker, "homeassistant/device/+/config");
        await using var states = await MessageRecorder.StartAsync(broker, "tasmo_guardian/hub/state");
        var disposables = new List<IAsyncDisposable>();
        var firmware = new List<FakeFirmware>();
        var tasmotas = new List<FakeTasmota>();
        var devices = new List<object>();
        var config = "[Alignment]\nInitialRotate = 179\n/config/ref0.jpg 103 271\n/config/ref1.jpg 442 142\n"u8.ToArray();
        for (var i = 0; i < n; i++)
        {
            switch (i % 9)
            {
                case 0:
                    var tasmota = FakeTasmota.Start($"Bench {i:D3}");
                    tasmota.Delay = delay;
                    fleet.Add(tasmota);
                    await fleet.PublishDiscoveryAsync(tasmota);
                    tasmotas.Add(tasmota);
                    disposables.Add(tasmota);
                    break;
                case 1:
                    var wled = FakeWled.Start();
                    devices.Add(new { host = wled.Host, type = "wled", name = $"Bench {i:D3}" });
                    disposables.Add(wled);
                    break;
                case 2:
                    var shelly = FakeShelly.Start();
                    devices.Add(new { host = shelly.Host, type = "shelly", name = $"Bench {i:D3}" });
                    disposables.Add(shelly);
                    break;
                default:
                    FakeFirmware device = (i % 9) switch
                    {
                        3 => FakeOpenDtu.Start(),
                        4 => FakeAhoyDtu.Start(),
                        5 => FakeAiOnTheEdge.Start(config),
                        6 => FakeAwtrix.Start(),
                        _ => FakeOpenHasp.Start(),
                    };
                    device.AnswerDelay = delay;
                    var type = device switch { FakeOpenDtu => "opendtu", FakeAhoyDtu => "ahoydtu", FakeAiOnTheEdge => "ai_on_the_edge", FakeAwtrix => "awtrix", _ => "openhasp" };
                    if (device is FakeAiOnTheEdge meter)
                    {
                        meter.MainTopic = $"meter{i:D3}";
                        await recorder.Client.PublishAsync(new MqttMessage($"{meter.MainTopic}/MAC", System.Text.Encoding.UTF8.GetBytes(meter.ColonMac), MqttQualityOfService.AtLeastOnce, retain: true), CancellationToken.None);
                        await recorder.Client.PublishAsync(new MqttMessage($"{meter.MainTopic}/IP", System.Text.Encoding.UTF8.GetBytes(meter.Ip), MqttQualityOfService.AtLeastOnce, retain: true), CancellationToken.None);
                    }

                    devices.Add(new { host = device.Host, type, name = $"Bench {i:D3}" });
                    firmware.Add(device);
                    disposables.Add(device);
                    break;
            }
        }

        var folder = Directory.CreateTempSubdirectory("tg-mixed-").FullName;
        var options = await BenchmarkSetup.WriteOptionsAsync(folder, broker, new Dictionary<string, object> { ["announce_discovery"] = false, ["devices"] = devices });
        try
        {
            await using var guardian = GuardianProcess.Start(["--options", options, "--data-dir", Path.Combine(folder, "data")], new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "100000" }, program);
            await Eventually.TrueAsync(() => recorder.Messages.Select(m => m.Topic).Where(t => t.StartsWith("homeassistant/device/tasmo_guardian_", StringComparison.Ordinal)).Distinct().Count() == n, TimeSpan.FromMinutes(3), () => guardian.Output);
            Console.WriteLine($"all {n} devices listed");
            foreach (var pass in (string[])["first", "second"])
            {
                var before = firmware.Sum(f => f.Requests.Count);
                var downloads = tasmotas.Sum(t => t.Downloads);
                var (elapsed, last) = await BenchmarkSetup.BackupAllAsync(recorder, states, TimeSpan.FromMinutes(10));
                var answered = firmware.Sum(f => f.Requests.Count) - before + tasmotas.Sum(t => t.Downloads) - downloads;
                var own = TimeSpan.FromTicks(delay.Ticks * answered);
                Console.WriteLine($"| {pass} backup-all | {(int)last["backed_up"]!} backed up, {(int)last["failed"]!} failed | {elapsed.TotalSeconds:0.00} s | {answered} answers × {delay.TotalMilliseconds:0} ms = {own.TotalSeconds:0.00} s | {elapsed / own:0.000} |");
            }

            await guardian.TerminateAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            foreach (var disposable in disposables)
            {
                await disposable.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
