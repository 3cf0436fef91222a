using System.Text;

namespace TasmoGuardian.Mqtt;

/// <summary>An application message: what is published and what subscribers receive.</summary>
public sealed class MqttMessage
{
    public MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
    }

    public string Topic { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public MqttQualityOfService QualityOfService { get; }

    /// <summary>On a published message: keep it at the broker. On a received one: it was kept there before we subscribed.</summary>
    public bool Retain { get; }

    public static MqttMessage FromString(string topic, string payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false) =>
        new(topic, Encoding.UTF8.GetBytes(payload), qualityOfService, retain);

    /// <summary>The payload as UTF-8 text; invalid sequences become U+FFFD rather than throwing.</summary>
    public string PayloadAsString() => Encoding.UTF8.GetString(Payload.Span);

    public override string ToString() => $"{Topic} ({Payload.Length} bytes, QoS {(int)QualityOfService}{(Retain ? ", retained" : "")})";
}
