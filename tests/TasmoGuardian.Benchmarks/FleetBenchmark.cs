using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>
/// Issue 6: N fake Tasmota devices on loopback (port 80 each), each answering /dl after D ms. Measures, for the real
/// program as its own process: start-up to the last device's discovery config, resident memory once settled, and
/// backup-all from the button press to "running" OFF as a ratio to the ideal N × D.
/// </summary>
internal static class FleetBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var sizes = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
        if (sizes.Count == 0)
        {
            sizes = [100, 500, 1000];
        }

        var delay = TimeSpan.FromMilliseconds(Option(args, "--delay-ms", 50));
        var program = OptionText(args, "--program");
        var environment = args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        var rows = new List<string>();
        foreach (var n in sizes)
        {
            rows.Add(await RunOneAsync(n, delay, program, environment));
        }

        Console.WriteLine();
        Console.WriteLine($"| devices | start-up to all configs | resident memory, settled | after backup-all, settled | ideal N×D | first backup-all (ratio) | second backup-all (ratio) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    private static async Task<string> RunOneAsync(int n, TimeSpan delay, string? program, IReadOnlyDictionary<string, string?> environment)
    {
        Console.WriteLine($"--- {n} devices, {delay.TotalMilliseconds} ms each");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await FakeTasmotaFleet.StartAsync(broker);
        var devices = new List<FakeTasmota>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var device = FakeTasmota.Start($"Bench {i:D4}");
                device.Delay = delay;
                devices.Add(device);
                fleet.Add(device);
                await fleet.PublishDiscoveryAsync(device);
            }

            await using var recorder = await MessageRecorder.StartAsync(broker, "homeassistant/device/+/config");
            await using var states = await MessageRecorder.StartAsync(broker, "tasmo_guardian/hub/state");
            var folder = Directory.CreateTempSubdirectory("tg-bench-").FullName;
            var options = Path.Combine(folder, "options.json");
            await File.WriteAllTextAsync(options, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["mqtt_host"] = broker.Host,
                ["mqtt_port"] = broker.Port,
                ["mqtt_username"] = broker.Username,
                ["mqtt_password"] = broker.Password,
                ["backup_dir"] = Path.Combine(folder, "backups"),
                ["schedule"] = "",
                ["backup_min_hours"] = 0,
                ["log_level"] = Environment.GetEnvironmentVariable("BENCH_LOG_LEVEL") ?? "info",
            }));

            var configTopics = devices.Select(d => $"homeassistant/device/tasmo_guardian_{d.Mac.ToLowerInvariant()}/config").ToHashSet();
            var started = Stopwatch.StartNew();
            await using var guardian = GuardianProcess.Start(["--options", options, "--data-dir", Path.Combine(folder, "data")], environment, program);
            await Eventually.TrueAsync(() => recorder.Messages.Select(m => m.Topic).Where(configTopics.Contains).Distinct().Count() == n, TimeSpan.FromMinutes(5), () => guardian.Output);
            var startup = started.Elapsed;
            Console.WriteLine($"start-up to all {n} configs: {startup.TotalSeconds:0.00} s");

            await Task.Delay(TimeSpan.FromSeconds(5));
            var settled = guardian.ResidentBytes();
            Console.WriteLine($"resident memory, settled: {settled / 1048576.0:0.0} MiB ({Breakdown(guardian)})");

            var ideal = TimeSpan.FromTicks(delay.Ticks * n);
            var first = await BackupAllAsync(recorder, states, guardian, n, ideal, "first backup-all (includes JIT warm-up)");
            await Task.Delay(TimeSpan.FromSeconds(5));
            var afterRun = guardian.ResidentBytes();
            Console.WriteLine($"resident memory after backup-all, settled: {afterRun / 1048576.0:0.0} MiB ({Breakdown(guardian)})");
            var second = await BackupAllAsync(recorder, states, guardian, n, ideal, "second backup-all");
            await guardian.TerminateAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(folder, recursive: true);
            return $"| {n} | {startup.TotalSeconds:0.00} s | {settled / 1048576.0:0.0} MiB | {afterRun / 1048576.0:0.0} MiB | {ideal.TotalSeconds:0.00} s | {first.TotalSeconds:0.00} s ({first / ideal:0.000}) | {second.TotalSeconds:0.00} s ({second / ideal:0.000}) |";
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    private static async Task<TimeSpan> BackupAllAsync(MessageRecorder recorder, MessageRecorder states, GuardianProcess guardian, int n, TimeSpan ideal, string what)
    {
        states.Clear();
        var output = guardian.Output.Length;
        var cpu = guardian.CpuTime();
        var run = Stopwatch.StartNew();
        await recorder.Client.PublishAsync(MqttMessage.FromString("tasmo_guardian/hub/backup_all", "PRESS", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        await Eventually.TrueAsync(
            () => states.Messages.Select(m => JsonNode.Parse(m.PayloadAsString())!).SkipWhile(s => !(bool)s["running"]!).Any(s => !(bool)s["running"]!),
            TimeSpan.FromMinutes(30),
            () => states.Summary(3));
        run.Stop();
        var cpuPerDevice = (guardian.CpuTime() - cpu).TotalMilliseconds / n;
        var last = JsonNode.Parse(states.Messages[^1].PayloadAsString())!;
        Console.WriteLine($"{what}: {run.Elapsed.TotalSeconds:0.00} s for {(int)last["backed_up"]!} backed up, {(int)last["failed"]!} failed; ideal {ideal.TotalSeconds:0.00} s; ratio {run.Elapsed / ideal:0.000}");
        var durations = System.Text.RegularExpressions.Regex.Matches(guardian.Output[output..], "duration_ms=([0-9]+) reason").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (durations.Count > 0)
        {
            Console.WriteLine($"  per device: {durations.Average():0.0} ms from the request to the device until recorded; {run.Elapsed.TotalMilliseconds / n:0.0} ms per device in all; the program's CPU time {cpuPerDevice:0.00} ms per device");
        }

        return run.Elapsed;
    }

    private static string Breakdown(GuardianProcess guardian)
    {
        var (anonymous, file, shared) = guardian.ResidentBreakdown();
        return $"anonymous {anonymous / 1048576.0:0.0}, file-backed {file / 1048576.0:0.0}, shared {shared / 1048576.0:0.0} MiB";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var text = OptionText(args, name);
        return text is null ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
