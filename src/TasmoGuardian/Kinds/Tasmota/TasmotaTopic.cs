using TasmoGuardian.Devices;
using System.Diagnostics.CodeAnalysis;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>How a Tasmota device builds its MQTT topics: Topic, FullTopic and the three prefixes (discovery's t, ft, tp).</summary>
internal sealed record TasmotaTopic(string Topic, string FullTopic, string CommandPrefix = "cmnd", string StatPrefix = "stat", string TelemetryPrefix = "tele")
{
    public const string DefaultFullTopic = "%prefix%/%topic%/";
    public const string SwappedFullTopic = "%topic%/%prefix%/";

    public bool IsStandard => FullTopic is DefaultFullTopic or SwappedFullTopic && CommandPrefix == "cmnd" && StatPrefix == "stat" && TelemetryPrefix == "tele";

    /// <summary>
    /// The device's kind data (<c>Device.KindData</c>): the five parts, one per line. Topics never hold control
    /// characters (<see cref="TasmotaTopics.IsValidTopicPart"/>), so a line break cannot be part of one.
    /// </summary>
    public string Encode() => $"{Topic}\n{FullTopic}\n{CommandPrefix}\n{StatPrefix}\n{TelemetryPrefix}";

    public static bool TryDecode(string? kindData, [NotNullWhen(true)] out TasmotaTopic? topic)
    {
        var parts = kindData?.Split('\n');
        topic = parts is { Length: 5 } ? new TasmotaTopic(parts[0], parts[1], parts[2], parts[3], parts[4]) : null;
        return topic is not null;
    }
}
