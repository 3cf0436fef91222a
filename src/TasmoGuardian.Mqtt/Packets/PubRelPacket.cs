namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PubRelPacket : MqttPacketWithId
{
    public PubRelPacket(ushort packetId)
        : base(packetId)
    {
    }

    public override MqttPacketType Type => MqttPacketType.PubRel;
}
