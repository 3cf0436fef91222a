namespace TasmoGuardian.Mqtt.Packets;

internal sealed class SubscribePacket : MqttPacketWithId
{
    public SubscribePacket(ushort packetId, IReadOnlyList<MqttTopicSubscription> subscriptions)
        : base(packetId)
    {
        Subscriptions = subscriptions;
    }

    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public IReadOnlyList<MqttTopicSubscription> Subscriptions { get; }

    public override string ToString() => $"Subscribe(id={PacketId}, {string.Join(", ", Subscriptions.Select(s => $"{s.Filter}@{(int)s.QualityOfService}"))})";
}
