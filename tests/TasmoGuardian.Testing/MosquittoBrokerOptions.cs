namespace TasmoGuardian.Testing;

public sealed class MosquittoBrokerOptions
{
    public string Username { get; init; } = "guardian";

    public string Password { get; init; } = "Br0ker-Pa55word";

    /// <summary>Home Assistant's broker refuses anonymous clients; so do we unless a test asks otherwise.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>When set, mosquitto disconnects a client that sends a larger packet (its max_packet_size).</summary>
    public int? MaxPacketSize { get; init; }

    /// <summary>Also listen with TLS, using a CA and server certificate made for this broker.</summary>
    public bool Tls { get; init; }
}
