using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TasmoGuardian.Testing;

/// <summary>
/// The device answers in tests/fixtures (provenance in tests/fixtures/README.md), the one loader every fake device and
/// every parser test reads them through: bytes as the device sends them, JSON as nodes that keep the firmware's key order
/// (edited only where a value belongs to one device), and whole HTTP answers (<c>*.http</c>: status line, headers,
/// body) written to the socket as they are.
/// </summary>
public static class FirmwareFixtures
{
    // Firmware writes UTF-8 as it is ("Mémoire", "Dirección") and does not escape '&', '+' or '<'; neither may a fake.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    public static string Folder { get; } = Path.Combine(GuardianProcess.RepositoryRoot(), "tests", "fixtures");

    /// <summary>A copy of the file's bytes.</summary>
    public static byte[] Bytes(string relative) => (byte[])Cache.GetOrAdd(relative, r => File.ReadAllBytes(Path.Combine(Folder, r))).Clone();

    public static string Text(string relative) => Encoding.UTF8.GetString(Cache.GetOrAdd(relative, r => File.ReadAllBytes(Path.Combine(Folder, r))));

    /// <summary>A fixture holding one JSON object, as a fresh node to edit.</summary>
    public static JsonObject Object(string relative) => JsonNode.Parse(Text(relative))!.AsObject();

    /// <summary>A node written as the firmware writes JSON: compact, key order kept, text not escaped beyond JSON's rules.</summary>
    public static string Write(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    /// <summary>The files in <paramref name="folder"/> (below tests/fixtures) whose names start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> Names(string folder, string prefix) =>
        [.. Directory.GetFiles(Path.Combine(Folder, folder), prefix + "*").Select(f => folder + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>A whole HTTP answer kept as <c>*.http</c>.</summary>
    public static HttpFixture Http(string relative) => HttpFixture.Parse(Bytes(relative));
}
