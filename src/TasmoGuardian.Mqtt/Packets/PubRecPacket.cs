namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PubRecPacket : MqttPacketWithId
{
    public PubRecPacket(ushort packetId)
        : base(packetId)
    {
    }

    public override MqttPacketType Type => MqttPacketType.PubRec;
}
