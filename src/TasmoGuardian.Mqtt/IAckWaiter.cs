using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>Whoever waits for the broker's answer to a packet with an identifier.</summary>
internal interface IAckWaiter
{
    void Acknowledge(MqttPacket ack);

    void Fail(Exception reason);
}
