using System.Diagnostics;
using System.Globalization;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>
/// N fake Tasmota devices on loopback (port 80 each), each answering /dl after D ms. Measures, for the real program as
/// its own process: start-up to the last device's discovery config, resident memory once settled, after a backup-all
/// and at its peak, and backup-all from the button press to "running" OFF. The baseline is a minimal sequential client
/// on the same fleet in the same run: one GET /dl after another, as the program sends them, with no processing.
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
        // The add-on image's runtime settings (Dockerfile ENV), unless --env says otherwise.
        var environment = new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "100000" };
        foreach (var (key, value) in args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 2)).Select(kv => (kv[0], kv[1])))
        {
            environment[key] = value.Length == 0 ? null : value;
        }
        var rows = new List<string>();
        foreach (var n in sizes)
        {
            rows.Add(await RunOneAsync(n, delay, program, environment));
        }

        Console.WriteLine();
        Console.WriteLine("| devices | start-up to all configs | RSS settled | RSS after backup-all, settled | RSS peak | baseline client, first / second pass | first backup-all (÷ baseline first) | second backup-all (÷ baseline second) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
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
            var options = await BenchmarkSetup.WriteOptionsAsync(folder, broker, new Dictionary<string, object> { ["log_level"] = Environment.GetEnvironmentVariable("BENCH_LOG_LEVEL") ?? "info" });

            // The baseline's first pass is as cold as the program's first run: a fresh client in a fresh connection pool.
            var baselineFirst = await BaselineAsync(devices);
            var baselineSecond = await BaselineAsync(devices);
            Console.WriteLine($"baseline client: {baselineFirst.TotalSeconds:0.00} s, then {baselineSecond.TotalSeconds:0.00} s");

            var configTopics = devices.Select(d => $"homeassistant/device/tasmo_guardian_{d.Mac.ToLowerInvariant()}/config").ToHashSet();
            var started = Stopwatch.StartNew();
            await using var guardian = GuardianProcess.Start(["--options", options, "--data-dir", Path.Combine(folder, "data")], environment, program);
            using var sampler = new MemorySampler(guardian);
            await Eventually.TrueAsync(() => recorder.Messages.Select(m => m.Topic).Where(configTopics.Contains).Distinct().Count() == n, TimeSpan.FromMinutes(5), () => guardian.Output);
            var startup = started.Elapsed;
            Console.WriteLine($"start-up to all {n} configs: {startup.TotalSeconds:0.00} s");
            sampler.Phase("settling after start-up");

            await Task.Delay(TimeSpan.FromSeconds(5));
            var settled = guardian.ResidentBytes();
            Console.WriteLine($"resident memory, settled: {settled / 1048576.0:0.0} MiB ({Breakdown(guardian)})");

            var ideal = TimeSpan.FromTicks(delay.Ticks * n);
            sampler.Phase("first backup-all");
            var first = await BackupAllAsync(recorder, states, guardian, n, ideal, "first backup-all");
            sampler.Phase("settling after the first backup-all");
            await Task.Delay(TimeSpan.FromSeconds(5));
            var afterRun = guardian.ResidentBytes();
            Console.WriteLine($"resident memory after backup-all, settled: {afterRun / 1048576.0:0.0} MiB ({Breakdown(guardian)})");
            if (Environment.GetEnvironmentVariable("BENCH_SMAPS") == "1")
            {
                Console.WriteLine(LargestMappings(guardian.Id));
            }
            sampler.Phase("second backup-all");
            var second = await BackupAllAsync(recorder, states, guardian, n, ideal, "second backup-all");
            var peak = guardian.PeakResidentBytes();
            Console.WriteLine($"resident memory, peak: {peak / 1048576.0:0.0} MiB; highest sample per phase: {sampler.Report()}");
            await guardian.TerminateAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(folder, recursive: true);
            return $"| {n} | {startup.TotalSeconds:0.00} s | {settled / 1048576.0:0.0} MiB | {afterRun / 1048576.0:0.0} MiB | {peak / 1048576.0:0.0} MiB | {baselineFirst.TotalSeconds:0.00} s / {baselineSecond.TotalSeconds:0.00} s | {first.TotalSeconds:0.00} s ({first / baselineFirst:0.000}) | {second.TotalSeconds:0.00} s ({second / baselineSecond:0.000}) |";
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
        var output = guardian.Output.Length;
        var cpu = guardian.CpuTime();
        var (elapsed, last) = await BenchmarkSetup.BackupAllAsync(recorder, states, TimeSpan.FromMinutes(30));
        var cpuPerDevice = (guardian.CpuTime() - cpu).TotalMilliseconds / n;
        Console.WriteLine($"{what}: {elapsed.TotalSeconds:0.00} s for {(int)last["backed_up"]!} backed up, {(int)last["failed"]!} failed; ideal {ideal.TotalSeconds:0.00} s; ratio {elapsed / ideal:0.000}");
        var durations = System.Text.RegularExpressions.Regex.Matches(guardian.Output[output..], "duration_ms=([0-9]+) reason").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (durations.Count > 0)
        {
            Console.WriteLine($"  per device: {durations.Average():0.0} ms from the request to the device until recorded; {elapsed.TotalMilliseconds / n:0.0} ms per device in all; the program's CPU time {cpuPerDevice:0.00} ms per device");
        }

        return elapsed;
    }

    /// <summary>GET /dl of every device, one after another, with the program's headers and a new connection each.</summary>
    private static async Task<TimeSpan> BaselineAsync(IReadOnlyList<FakeTasmota> devices)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false });
        var run = Stopwatch.StartNew();
        foreach (var device in devices)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{device.Host}/dl");
            request.Headers.Referrer = new Uri($"http://{device.Host}/");
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);
            _ = await response.Content.ReadAsByteArrayAsync();
        }

        return run.Elapsed;
    }

    /// <summary>The mappings holding the most resident memory, from /proc/&lt;pid&gt;/smaps: where the megabytes are.</summary>
    private static string LargestMappings(int pid)
    {
        var mappings = new List<(string Name, long Rss)>();
        string? name = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !line.StartsWith("Rss", StringComparison.Ordinal))
            {
                name = parts.Length >= 6 ? Path.GetFileName(parts[5]) : "[anonymous]";
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal) && name is not null)
            {
                mappings.Add((name, long.Parse(parts[1], CultureInfo.InvariantCulture)));
            }
        }

        return string.Join("\n", mappings.GroupBy(m => m.Name).Select(g => (g.Key, Rss: g.Sum(m => m.Rss), Count: g.Count()))
            .OrderByDescending(g => g.Rss).Take(25).Select(g => $"  {g.Rss / 1024.0,7:0.0} MiB  {g.Count,4} mappings  {g.Key}"));
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
