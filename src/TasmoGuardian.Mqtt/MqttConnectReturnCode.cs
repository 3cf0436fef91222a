namespace TasmoGuardian.Mqtt;

/// <summary>The CONNACK return codes of MQTT 3.1.1, section 3.2.2.3.</summary>
public enum MqttConnectReturnCode : byte
{
    /// <summary>Connection accepted.</summary>
    Accepted = 0,

    /// <summary>The broker does not speak MQTT 3.1.1.</summary>
    UnacceptableProtocolVersion = 1,

    /// <summary>The client id is not allowed.</summary>
    IdentifierRejected = 2,

    /// <summary>The broker cannot take connections now.</summary>
    ServerUnavailable = 3,

    /// <summary>The user name or password is malformed or wrong.</summary>
    BadUserNameOrPassword = 4,

    /// <summary>The client may not connect (mosquitto's answer to a wrong password).</summary>
    NotAuthorized = 5,
}
