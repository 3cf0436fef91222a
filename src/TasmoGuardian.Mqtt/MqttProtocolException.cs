namespace TasmoGuardian.Mqtt;

/// <summary>The peer sent bytes that are not a valid MQTT 3.1.1 packet, or broke the protocol's rules.</summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException()
    {
    }

    public MqttProtocolException(string message)
        : base(message)
    {
    }

    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
