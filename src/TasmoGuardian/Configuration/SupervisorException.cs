namespace TasmoGuardian.Configuration;

/// <summary>The Supervisor could not tell us the MQTT broker; the message says what the user can do.</summary>
internal sealed class SupervisorException : Exception
{
    public SupervisorException()
    {
    }

    public SupervisorException(string message)
        : base(message)
    {
    }

    public SupervisorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
