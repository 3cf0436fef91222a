namespace TasmoGuardian.Mqtt.Packets;

internal sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public required string ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    public bool CleanSession { get; init; } = true;

    public MqttMessage? Will { get; init; }

    public override string ToString() =>
        $"Connect(client={ClientId}, user={Username ?? "-"}, password={(Password is null ? "-" : "***")}, keepAlive={KeepAliveSeconds}s, clean={CleanSession}, will={Will?.Topic ?? "-"})";
}
