using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Kinds;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Kinds.Changes;

/// <summary>Backups of the zip kinds built from the fixtures, and edits of their JSON, for the comparison tests.</summary>
internal static class ChangeTesting
{
    public static BackupContent Zip(IReadOnlyDictionary<string, byte[]> entries)
    {
        var zip = new BackupZip();
        foreach (var (name, content) in entries)
        {
            zip.Add(name, content);
        }

        return new BackupContent(zip.ToArray(TimeProvider.System));
    }

    public static Dictionary<string, byte[]> Entries(params (string Name, byte[] Content)[] entries) =>
        entries.ToDictionary(e => e.Name, e => e.Content, StringComparer.Ordinal);

    public static byte[] Fixture(string name) => FirmwareFixtures.Bytes(name);

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The JSON with one edit, as the device would serve it after that setting changed.</summary>
    public static byte[] Edit(byte[] json, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(json)!;
        edit(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    public static Dictionary<string, byte[]> With(this Dictionary<string, byte[]> files, string name, byte[]? content)
    {
        var copy = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        if (content is null)
        {
            copy.Remove(name);
        }
        else
        {
            copy[name] = content;
        }

        return copy;
    }

    public static IReadOnlyList<string> Lines(this IReadOnlyList<ConfigChange> changes) => [.. changes.Select(c => c.ToString())];
}
