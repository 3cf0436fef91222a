namespace TasmoGuardian.Mqtt.Packets;

internal sealed class ConnAckPacket : MqttPacket
{
    public ConnAckPacket(bool sessionPresent, MqttConnectReturnCode returnCode)
    {
        SessionPresent = sessionPresent;
        ReturnCode = returnCode;
    }

    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; }

    public MqttConnectReturnCode ReturnCode { get; }

    public override string ToString() => $"ConnAck(sessionPresent={SessionPresent}, code={ReturnCode})";
}
