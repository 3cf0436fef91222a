namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    private PingRespPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingResp;

    public override string ToString() => "PingResp";
}
