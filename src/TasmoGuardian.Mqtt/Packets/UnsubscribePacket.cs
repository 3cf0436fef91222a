namespace TasmoGuardian.Mqtt.Packets;

internal sealed class UnsubscribePacket : MqttPacketWithId
{
    public UnsubscribePacket(ushort packetId, IReadOnlyList<string> filters)
        : base(packetId)
    {
        Filters = filters;
    }

    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public IReadOnlyList<string> Filters { get; }

    public override string ToString() => $"Unsubscribe(id={PacketId}, {string.Join(", ", Filters)})";
}
