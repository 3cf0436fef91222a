namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PublishPacket : MqttPacket
{
    public PublishPacket(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, bool duplicate, ushort packetId)
    {
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
        Duplicate = duplicate;
        PacketId = packetId;
    }

    public override MqttPacketType Type => MqttPacketType.Publish;

    public string Topic { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public MqttQualityOfService QualityOfService { get; }

    public bool Retain { get; }

    public bool Duplicate { get; }

    /// <summary>Zero for QoS 0, where the packet carries no identifier.</summary>
    public ushort PacketId { get; }

    public MqttMessage ToMessage() => new(Topic, Payload, QualityOfService, Retain);

    public override string ToString() => $"Publish(topic={Topic}, {Payload.Length} bytes, qos={(int)QualityOfService}, retain={Retain}, dup={Duplicate}, id={PacketId})";
}
