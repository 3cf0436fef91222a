namespace TasmoGuardian.Mqtt;

/// <summary>The connection ended before the operation completed.</summary>
public sealed class MqttConnectionClosedException : Exception
{
    public MqttConnectionClosedException()
        : base("The MQTT connection is closed.")
    {
    }

    public MqttConnectionClosedException(string message)
        : base(message)
    {
    }

    public MqttConnectionClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
