namespace TasmoGuardian.Mqtt;

/// <summary>What <see cref="ManagedMqttClientOptions.ClientFactory"/> is told before a connection attempt.</summary>
public sealed class MqttConnectAttempt
{
    internal MqttConnectAttempt(int failedAttempts, Exception? lastFailure)
    {
        FailedAttempts = failedAttempts;
        LastFailure = lastFailure;
    }

    /// <summary>How many attempts in a row have failed before this one (0: the first attempt, or after a connection ended).</summary>
    public int FailedAttempts { get; }

    /// <summary>Why the previous attempt failed, if it did; a refused login is a <see cref="MqttConnectException"/>.</summary>
    public Exception? LastFailure { get; }
}
