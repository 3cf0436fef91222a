using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The answers of real firmware in tests/fixtures (provenance in tests/fixtures/README.md), for the fake devices to
/// answer from. Each read is a fresh copy, so a fake may change its own.
/// </summary>
public static class FixtureFiles
{
    /// <summary>
    /// Compact, and non-ASCII text as raw UTF-8 ("Kōsen"), as ArduinoJson writes it; the default encoder would
    /// write \u014D where the device does not.
    /// </summary>
    public static readonly JsonSerializerOptions DeviceJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Folder { get; } = Path.Combine(GuardianProcess.RepositoryRoot(), "tests", "fixtures");

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path.Combine(Folder, relative));

    public static string Text(string relative) => File.ReadAllText(Path.Combine(Folder, relative));

    /// <summary>A fixture that is one JSON object, keys in the order the firmware wrote them.</summary>
    public static JsonObject Object(string relative) =>
        JsonNode.Parse(Bytes(relative)) as JsonObject ?? throw new InvalidDataException($"{relative} is not a JSON object.");

    /// <summary>The bytes a device sends for <paramref name="node"/>: compact, raw UTF-8.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(DeviceJson));
    }
}
