namespace TasmoGuardian.Mqtt;

public sealed class MqttDisconnectedEventArgs : EventArgs
{
    public MqttDisconnectedEventArgs(Exception? reason)
    {
        Reason = reason;
    }

    /// <summary>Null after our own clean disconnect.</summary>
    public Exception? Reason { get; }
}
