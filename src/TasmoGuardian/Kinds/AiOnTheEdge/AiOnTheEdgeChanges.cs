using System.Text;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// What is configuration in an AI-on-the-Edge backup: config.ini by section and parameter ("config/config.ini:
/// [MQTT] Uri", "[Digits] main.dig1" for a digit's ROI line), the alignment and reference images by path. A parameter
/// or a section commented out with ';' (";[MQTT]", ";Uri = …") is the same one switched off: turning it on or off is its
/// change (ai_on_the_edge_config_v16.1.0.ini, the firmware's default). info.json holds the identification answers.
/// </summary>
internal static class AiOnTheEdgeChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.ContainsKey(AiOnTheEdgeKind.ConfigFile),
        new ZipRules
        {
            MainFile = AiOnTheEdgeKind.ConfigFile,
            NotConfiguration = ["info.json"],
            Readers = new Dictionary<string, Func<byte[], byte[], IReadOnlyList<ConfigChange>>> { [AiOnTheEdgeKind.ConfigFile] = Ini },
        });

    private static IReadOnlyList<ConfigChange> Ini(byte[] before, byte[] after)
    {
        var (old, now) = (Parameters(before), Parameters(after));
        var changes = new List<ConfigChange>();
        foreach (var (key, value) in now)
        {
            if (!old.TryGetValue(key, out var was))
            {
                changes.Add(ConfigChange.Added(Name(key)));
            }
            else if (was != value)
            {
                changes.Add(ConfigChange.Changed(Name(key)));
            }
        }

        changes.AddRange(old.Keys.Where(k => !now.ContainsKey(k)).Select(k => ConfigChange.Removed(Name(k))));
        return changes;
    }

    private static string Name(string key) => $"{AiOnTheEdgeKind.ConfigFile}: {key}";

    /// <summary>
    /// "[Section] Key" → the rest of its line, in file order. "Key = value" lines are named by the key, the ROI and
    /// alignment lines ("main.dig1 294 126 30 54 false", "/config/ref0.jpg 103 271") by their first word.
    /// </summary>
    private static Dictionary<string, string> Parameters(byte[] ini)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var section = string.Empty;
        foreach (var raw in Encoding.UTF8.GetString(ini).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var off = line.StartsWith(';');
            var text = line.TrimStart(';').Trim();
            if (text.StartsWith('[') && text.EndsWith(']'))
            {
                // ";[MQTT]" is a section switched off with its parameters: switching it on is the section's change.
                section = text;
                parameters.TryAdd(section, off ? ";" : string.Empty);
                continue;
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var space = text.IndexOfAny([' ', '\t']);
            var (key, value) = equals >= 0
                ? (text[..equals].Trim(), text[(equals + 1)..].Trim())
                : space > 0 ? (text[..space], text[space..].Trim()) : (text, string.Empty);
            parameters.TryAdd($"{section} {key}".Trim(), (off ? ";" : string.Empty) + value);
        }

        return parameters;
    }
}
