using System.Security.Cryptography.X509Certificates;

namespace TasmoGuardian.Mqtt;

/// <summary>TLS to the broker. By default the broker's certificate must chain to the system's trusted roots.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>The name the certificate must carry; the connection's host when null.</summary>
    public string? TargetHost { get; init; }

    /// <summary>A private CA (for example the one that signed a home broker's certificate) trusted in addition to the system's roots.</summary>
    public X509Certificate2? TrustedCaCertificate { get; init; }

    /// <summary>Accept any certificate: for self-signed brokers on a trusted network. The traffic is still encrypted.</summary>
    public bool AllowUntrustedCertificates { get; init; }
}
