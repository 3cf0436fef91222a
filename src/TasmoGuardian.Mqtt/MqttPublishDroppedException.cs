namespace TasmoGuardian.Mqtt;

/// <summary>A message waiting for the broker to come back was dropped because the offline queue was full.</summary>
public sealed class MqttPublishDroppedException : Exception
{
    public MqttPublishDroppedException()
        : base("The message was dropped from the full offline queue.")
    {
    }

    public MqttPublishDroppedException(string message)
        : base(message)
    {
    }

    public MqttPublishDroppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
