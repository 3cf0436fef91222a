namespace TasmoGuardian.Mqtt;

/// <summary>The broker refused a subscription (SUBACK return code 0x80), usually an access-control rule.</summary>
public sealed class MqttSubscribeException : Exception
{
    public MqttSubscribeException()
    {
    }

    public MqttSubscribeException(string message)
        : base(message)
    {
    }

    public MqttSubscribeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
