using System.Text;

namespace TasmoGuardian.Mqtt;

/// <summary>An application message: what is published and what subscribers receive.</summary>
public sealed class MqttMessage
{
    /// <summary>A message for <paramref name="topic"/> with the payload's bytes as they are.</summary>
    public MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
    }

    /// <summary>The topic it is published to.</summary>
    public string Topic { get; }

    /// <summary>The payload; MQTT gives it no encoding.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The delivery guarantee it was published or received with.</summary>
    public MqttQualityOfService QualityOfService { get; }

    /// <summary>On a published message: keep it at the broker. On a received one: it was kept there before we subscribed.</summary>
    public bool Retain { get; }

    /// <summary>A message whose payload is <paramref name="payload"/> in UTF-8.</summary>
    public static MqttMessage FromString(string topic, string payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce, bool retain = false) =>
        new(topic, Encoding.UTF8.GetBytes(payload), qualityOfService, retain);

    /// <summary>The payload as UTF-8 text; invalid sequences become U+FFFD rather than throwing.</summary>
    public string PayloadAsString() => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Topic, size and flags; never the payload, which may hold secrets.</summary>
    public override string ToString() => $"{Topic} ({Payload.Length} bytes, QoS {(int)QualityOfService}{(Retain ? ", retained" : "")})";
}
