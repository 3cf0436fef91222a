namespace TasmoGuardian.Mqtt.Packets;

internal sealed class SubAckPacket : MqttPacketWithId
{
    /// <summary>Return code meaning the broker refused that subscription.</summary>
    public const byte Failure = 0x80;

    public SubAckPacket(ushort packetId, IReadOnlyList<byte> returnCodes)
        : base(packetId)
    {
        ReturnCodes = returnCodes;
    }

    public override MqttPacketType Type => MqttPacketType.SubAck;

    public IReadOnlyList<byte> ReturnCodes { get; }

    public override string ToString() => $"SubAck(id={PacketId}, codes=[{string.Join(",", ReturnCodes)}])";
}
