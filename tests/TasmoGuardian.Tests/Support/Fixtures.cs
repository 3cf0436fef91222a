using System.Text.Json;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Support;

/// <summary>The real-world samples in tests/fixtures (their provenance is in tests/fixtures/README.md).</summary>
internal static class Fixtures
{
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(GuardianProcess.RepositoryRoot(), "tests", "fixtures"));

    public static byte[] Bytes(string relative) => FirmwareFixtures.Bytes(relative);

    public static string Text(string relative) => FirmwareFixtures.Text(relative);

    /// <summary>The "payload" object of a fixture file, as the raw JSON the device sent.</summary>
    public static byte[] Payload(string relative, string property = "payload")
    {
        using var document = JsonDocument.Parse(Bytes(relative));
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement.GetProperty(property));
    }

    public static string Topic(string relative)
    {
        using var document = JsonDocument.Parse(Bytes(relative));
        return document.RootElement.GetProperty("topic").GetString()!;
    }

    /// <summary>The messages of tasmota_status_messages_9.2.0.json: topic and raw payload.</summary>
    public static IReadOnlyList<(string Topic, byte[] Payload)> StatusMessages()
    {
        using var document = JsonDocument.Parse(Bytes("tasmota/tasmota_status_messages_9.2.0.json"));
        return document.RootElement.GetProperty("messages").EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String
                ? System.Text.Encoding.UTF8.GetBytes(p.Value.GetString()!)
                : JsonSerializer.SerializeToUtf8Bytes(p.Value)))
            .ToList();
    }

    /// <summary>The INFO/LWT lines of tasmota_info123_lwt_samples.txt as (suffix, payload).</summary>
    public static IReadOnlyList<(string Suffix, string Payload)> InfoSamples() =>
        Text("tasmota/tasmota_info123_lwt_samples.txt").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Contains(" = ", StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line =>
            {
                var eq = line.IndexOf(" = ", StringComparison.Ordinal);
                var topic = line[..eq].Split(' ').Last();
                var suffix = topic.Split('/').Last();
                return (suffix, line[(eq + 3)..].Replace(" (retained)", string.Empty, StringComparison.Ordinal));
            })
            .ToList();
}
