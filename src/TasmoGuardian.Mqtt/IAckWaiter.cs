using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>Whoever waits for the broker's answer to a packet with an identifier.</summary>
internal interface IAckWaiter
{
    /// <summary>The packet's bytes have been handed to the connection's stream: from now on it is really in flight.</summary>
    void Written();

    /// <summary>The broker answered with the expected acknowledgement.</summary>
    void Acknowledge(MqttPacket ack);

    /// <summary>The connection ended first.</summary>
    void Fail(Exception reason);
}
