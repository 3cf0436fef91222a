namespace TasmoGuardian.Configuration;

/// <summary>
/// The Supervisor could not tell us the MQTT broker; the message says what the user can do. Most causes pass by
/// themselves (the Mosquitto add-on is still starting, the Supervisor is busy) and are asked again; a permanent one
/// (the add-on lacks the right to ask) stops the program.
/// </summary>
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

    /// <summary>Asking again cannot help: only a change to the add-on or its options can.</summary>
    public bool IsPermanent { get; init; }
}
