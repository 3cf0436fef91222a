using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The Tasmota answers in tests/fixtures/tasmota, read once and kept: what the fake devices answer from, and what the
/// parser tests read. Provenance of every file: tests/fixtures/README.md.
/// </summary>
public static class TasmotaFixtures
{
    public static string Folder { get; } = Path.Combine(GuardianProcess.RepositoryRoot(), "tests", "fixtures", "tasmota");

    /// <summary>Every fixture file's name.</summary>
    public static IReadOnlyList<string> Names() =>
        [.. Directory.GetFiles(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>A copy of the file's bytes, exactly as the device sends them.</summary>
    public static byte[] Bytes(string name) => FirmwareFixtures.Bytes("tasmota/" + name);

    public static string Text(string name) => FirmwareFixtures.Text("tasmota/" + name);

    /// <summary>
    /// The device's JSON answer in a fixture file: the file itself, or its "payload" member where the file wraps a
    /// capture with its source (tasmota_status0_http_15.1.0_esp32.json, the discovery captures).
    /// </summary>
    public static JsonObject Json(string name)
    {
        var root = JsonNode.Parse(Text(name))!.AsObject();
        return root["payload"] is JsonObject payload ? (JsonObject)payload.DeepClone() : root;
    }

    /// <summary>The messages of a file keyed by topic ("stat/x/STATUS5": "the payload, as sent").</summary>
    public static IReadOnlyList<(string Topic, string Payload)> Messages(string name) =>
        [.. JsonNode.Parse(Text(name))!.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>()))];

    /// <summary>The one message of a file whose topic ends with "/<paramref name="suffix"/>".</summary>
    public static string Message(string name, string suffix) =>
        Messages(name).Single(m => m.Topic.EndsWith("/" + suffix, StringComparison.Ordinal)).Payload;

    /// <summary>The status line and headers of a *.http file, in their order, without the blank line.</summary>
    public static (string StatusLine, IReadOnlyList<(string Name, string Value)> Headers) Head(string name)
    {
        var lines = Text(name).Split("\r\n");
        var headers = lines.Skip(1).TakeWhile(l => l.Length > 0)
            .Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        return (lines[0], headers);
    }
}
