namespace TasmoGuardian.Devices.Tasmota;

/// <summary>How a Tasmota device builds its MQTT topics: Topic, FullTopic and the three prefixes (discovery's t, ft, tp).</summary>
internal sealed record TasmotaTopic(string Topic, string FullTopic, string CommandPrefix = "cmnd", string StatPrefix = "stat", string TelemetryPrefix = "tele")
{
    public const string DefaultFullTopic = "%prefix%/%topic%/";
    public const string SwappedFullTopic = "%topic%/%prefix%/";

    public bool IsStandard => FullTopic is DefaultFullTopic or SwappedFullTopic && CommandPrefix == "cmnd" && StatPrefix == "stat" && TelemetryPrefix == "tele";
}
