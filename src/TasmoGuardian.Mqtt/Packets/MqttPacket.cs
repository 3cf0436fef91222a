namespace TasmoGuardian.Mqtt.Packets;

/// <summary>A control packet as plain data; turning it into bytes is <see cref="PacketWriter"/>'s job.</summary>
internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }
}
