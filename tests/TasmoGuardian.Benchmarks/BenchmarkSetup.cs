using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>What the fleet benchmarks share: the program's options file, and one press of Backup all timed to its end.</summary>
internal static class BenchmarkSetup
{
    /// <summary>Writes options.json for the broker, with backups in <paramref name="folder"/>, no schedule and no skipping; <paramref name="extra"/> adds or overrides options.</summary>
    public static async Task<string> WriteOptionsAsync(string folder, MosquittoBroker broker, IReadOnlyDictionary<string, object>? extra = null)
    {
        var options = new Dictionary<string, object>
        {
            ["mqtt_host"] = broker.Host,
            ["mqtt_port"] = broker.Port,
            ["mqtt_username"] = broker.Username,
            ["mqtt_password"] = broker.Password,
            ["backup_dir"] = Path.Combine(folder, "backups"),
            ["schedule"] = "",
            ["backup_min_hours"] = 0,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, object>())
        {
            options[key] = value;
        }

        var path = Path.Combine(folder, "options.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(options));
        return path;
    }

    /// <summary>Presses Backup all and waits until the hub's running goes ON and then OFF; returns the time and the last hub state.</summary>
    public static async Task<(TimeSpan Elapsed, JsonNode Last)> BackupAllAsync(MessageRecorder recorder, MessageRecorder states, TimeSpan limit)
    {
        states.Clear();
        var run = Stopwatch.StartNew();
        await recorder.Client.PublishAsync(MqttMessage.FromString("tasmo_guardian/hub/backup_all", "PRESS", MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        await Eventually.TrueAsync(
            () => states.Messages.Select(m => JsonNode.Parse(m.PayloadAsString())!).SkipWhile(s => !(bool)s["running"]!).Any(s => !(bool)s["running"]!),
            limit,
            () => states.Summary(3));
        run.Stop();
        return (run.Elapsed, JsonNode.Parse(states.Messages[^1].PayloadAsString())!);
    }
}
