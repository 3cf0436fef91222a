namespace TasmoGuardian.Mqtt.Packets;

internal sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    private PingReqPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingReq;

    public override string ToString() => "PingReq";
}
