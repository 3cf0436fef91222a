using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The captured device answers in tests/fixtures (provenance in tests/fixtures/README.md), for the fake devices to
/// answer from: loaded as JSON nodes that keep the device's key order and number literals, edited only where a value
/// belongs to one device (MAC, name, address, uptime), and written back as compactly as the firmware writes them.
/// </summary>
public static class FixtureFiles
{
    // Devices do not escape '+', '<' or non-ASCII text ("64qBCCQKaCeLdQ8KPW4E+JzA=="): neither may a fake that answers like one.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Folder { get; } = Path.Combine(GuardianProcess.RepositoryRoot(), "tests", "fixtures");

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path.Combine(Folder, relative));

    public static string Text(string relative) => File.ReadAllText(Path.Combine(Folder, relative));

    /// <summary>A fixture holding one JSON object, as a node to edit; each call reads a fresh copy.</summary>
    public static JsonObject Object(string relative) => JsonNode.Parse(Bytes(relative))!.AsObject();

    /// <summary>A node written as a device writes JSON: compact, key order kept, number literals (<c>60.00</c>) as read.</summary>
    public static string Write(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);
}
