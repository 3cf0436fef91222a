namespace TasmoGuardian.Mqtt.Packets;

/// <summary>Keep-alive request: a fixed header and nothing else, so one instance serves every use.</summary>
internal sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    private PingReqPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingReq;

    public override string ToString() => "PingReq";
}

/// <summary>Keep-alive answer.</summary>
internal sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    private PingRespPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.PingResp;

    public override string ToString() => "PingResp";
}

/// <summary>A clean goodbye: the broker drops the will.</summary>
internal sealed class DisconnectPacket : MqttPacket
{
    public static readonly DisconnectPacket Instance = new();

    private DisconnectPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public override string ToString() => "Disconnect";
}
