using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>Builds a device's topics the way the firmware's GetTopic_P() does (support_tasmota.ino).</summary>
internal static class TasmotaTopics
{
    public static string CommandBase(TasmotaTopic topic, string? hostname, Mac mac) => Build(topic, topic.CommandPrefix, isCommand: true, hostname, mac);

    public static string StatBase(TasmotaTopic topic, string? hostname, Mac mac) => Build(topic, topic.StatPrefix, isCommand: false, hostname, mac);

    public static string TelemetryBase(TasmotaTopic topic, string? hostname, Mac mac) => Build(topic, topic.TelemetryPrefix, isCommand: false, hostname, mac);

    /// <summary>The base topic (ending in '/') a message suffix such as STATUS5 or LWT is appended to.</summary>
    public static string Build(TasmotaTopic topic, string prefix, bool isCommand, string? hostname, Mac mac)
    {
        var full = topic.FullTopic;

        // The firmware appends the prefix to command topics whose FullTopic lacks it, to avoid topic loops.
        if (isCommand && !full.Contains("%prefix%", StringComparison.Ordinal))
        {
            full += "/%prefix%";
        }

        full = full.Replace("%prefix%", prefix, StringComparison.Ordinal)
            .Replace("%topic%", topic.Topic, StringComparison.Ordinal)
            .Replace("%hostname%", hostname ?? string.Empty, StringComparison.Ordinal)

            // Tasmota's ResolveToken uses the whole 12-digit id; hatasmota's 6-digit form is a known discrepancy.
            .Replace("%id%", mac.ToString(), StringComparison.Ordinal)
            .Replace("#", string.Empty, StringComparison.Ordinal);
        while (full.Contains("//", StringComparison.Ordinal))
        {
            full = full.Replace("//", "/", StringComparison.Ordinal);
        }

        return full.EndsWith('/') ? full : full + "/";
    }

    /// <summary>Splits "stat/kitchen/STATUS5" into its base "stat/kitchen/" and suffix "STATUS5".</summary>
    public static (string Base, string Suffix) Split(string topic)
    {
        var slash = topic.LastIndexOf('/');
        return slash < 0 ? (string.Empty, topic) : (topic[..(slash + 1)], topic[(slash + 1)..]);
    }

    /// <summary>
    /// For a status reply from a device we do not know yet, the shape of its topic tells its FullTopic:
    /// "stat/&lt;t&gt;/…" is the default, "&lt;t&gt;/stat/…" the swapped form.
    /// </summary>
    public static TasmotaTopic? InferFromStatBase(string statBase) => Infer(statBase, "stat");

    /// <summary>The same for telemetry ("tele/&lt;t&gt;/…" or "&lt;t&gt;/tele/…"), such as the LWT of a device that has just booted.</summary>
    public static TasmotaTopic? InferFromTelemetryBase(string telemetryBase) => Infer(telemetryBase, "tele");

    private static TasmotaTopic? Infer(string topicBase, string prefix)
    {
        var parts = topicBase.TrimEnd('/').Split('/');
        if (parts.Length != 2 || !IsValidTopicPart(parts[0]) || !IsValidTopicPart(parts[1]))
        {
            return null;
        }

        if (parts[0] == prefix && parts[1] != prefix)
        {
            return new TasmotaTopic(parts[1], TasmotaTopic.DefaultFullTopic);
        }

        if (parts[1] == prefix && parts[0] != prefix)
        {
            return new TasmotaTopic(parts[0], TasmotaTopic.SwappedFullTopic);
        }

        return null;
    }

    public static bool IsValidTopicPart(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 100 && value.AsSpan().IndexOfAny("+#\0") < 0 && !value.Any(char.IsControl);

    public static bool IsValidFullTopic(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 100 && value.AsSpan().IndexOfAny("+\0") < 0 && !value.Any(char.IsControl);
}
