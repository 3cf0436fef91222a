namespace TasmoGuardian.Testing;

/// <summary>What <see cref="ScriptedBroker"/> does with a packet the client sent.</summary>
public enum ScriptedAnswer
{
    /// <summary>What a well-behaved broker does: SUBACK, UNSUBACK, PUBACK, PINGRESP.</summary>
    Acknowledge,

    /// <summary>Nothing: the acknowledgement never comes, and the connection stays up.</summary>
    Withhold,

    /// <summary>Close the connection at once, as a broker does with a packet it will not take.</summary>
    HangUp,
}
