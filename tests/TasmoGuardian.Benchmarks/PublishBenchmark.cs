using System.Diagnostics;
using System.Globalization;
using System.Text;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>
/// Issue 2: N QoS 1 messages of 200 bytes to a private mosquitto, acknowledged, with our client and with mosquitto_pub
/// (the baseline) in the same run against the same broker.
/// </summary>
internal static class PublishBenchmark
{
    private const int PayloadSize = 200;
    private const int Window = 1000;

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions());
        Console.WriteLine($"Publishing {count:N0} QoS 1 messages of {PayloadSize} bytes to mosquitto on 127.0.0.1:{broker.Port}");

        // Warm-up: JIT and socket paths, not measured.
        await OursAsync(broker, 5_000);
        var ours = await OursAsync(broker, count);
        var baseline = await MosquittoPubAsync(broker, count);
        var ours2 = await OursAsync(broker, count);

        Console.WriteLine();
        Console.WriteLine("| client | messages/s | allocated per publish |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| Tasmo Guardian (run 1) | {ours.Rate:N0} | {ours.BytesPerPublish:N0} B |");
        Console.WriteLine($"| Tasmo Guardian (run 2) | {ours2.Rate:N0} | {ours2.BytesPerPublish:N0} B |");
        Console.WriteLine($"| mosquitto_pub -q 1 -l (baseline) | {baseline:N0} | n/a |");
        Console.WriteLine($"ratio ours / baseline: {Math.Max(ours.Rate, ours2.Rate) / baseline:0.00}");
    }

    private static async Task<(double Rate, double BytesPerPublish)> OursAsync(MosquittoBroker broker, int count)
    {
        await using var client = new ManagedMqttClient(new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "bench-" + Guid.NewGuid().ToString("N")[..6], Username = broker.Username, Password = broker.Password },
            MaxOfflineQueue = count,
        });
        await client.StartAsync(CancellationToken.None);
        await client.WaitUntilConnectedAsync(CancellationToken.None);
        var payload = Encoding.ASCII.GetBytes(new string('x', PayloadSize));
        var messages = Enumerable.Range(0, count).Select(_ => new MqttMessage("bench/ours", payload, MqttQualityOfService.AtLeastOnce)).ToArray();
        var window = new Task[Window];

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var slot = i % Window;
            if (i >= Window)
            {
                await window[slot];
            }

            window[slot] = client.PublishAsync(messages[i], CancellationToken.None);
        }

        await Task.WhenAll(window.Where(t => t is not null));
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (count / watch.Elapsed.TotalSeconds, (double)allocated / count);
    }

    private static async Task<double> MosquittoPubAsync(MosquittoBroker broker, int count)
    {
        var line = new string('y', PayloadSize);
        var input = new StringBuilder(count * (PayloadSize + 1));
        for (var i = 0; i < count; i++)
        {
            input.Append(line).Append('\n');
        }

        var watch = Stopwatch.StartNew();
        var (code, output) = await ProcessRunner.RunAsync(
            "mosquitto_pub",
            ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-u", broker.Username, "-P", broker.Password, "-q", "1", "-t", "bench/baseline", "-l"],
            TimeSpan.FromMinutes(10),
            input.ToString());
        watch.Stop();
        if (code != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub failed: {output}");
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
