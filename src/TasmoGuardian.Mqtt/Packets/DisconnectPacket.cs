namespace TasmoGuardian.Mqtt.Packets;

internal sealed class DisconnectPacket : MqttPacket
{
    public static readonly DisconnectPacket Instance = new();

    private DisconnectPacket()
    {
    }

    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public override string ToString() => "Disconnect";
}
