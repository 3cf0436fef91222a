namespace TasmoGuardian.Mqtt;

/// <summary>The delivery guarantee of a message or subscription.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: sent once, never acknowledged; lost if the connection is down.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged by PUBACK; resent until then, so it may arrive twice.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: a four-way handshake delivers it exactly once.</summary>
    ExactlyOnce = 2,
}
