using System.Net;

namespace TasmoGuardian.Testing;

/// <summary>
/// Distinct 127.x.y.z addresses, so each fake device can listen on port 80 like a real one (http://127.3.9.17/dl).
/// The range starts at a random point so test processes running side by side do not collide.
/// </summary>
public static class LoopbackAddresses
{
    private const int PerSecondOctet = 256 * 254;
    private static int _next = Random.Shared.Next(0, 200) * PerSecondOctet;

    /// <summary>
    /// Set by the demo fleet, which runs as a normal user: fakes then listen on free ports of 127.0.0.1 instead of port
    /// 80 of their own address (binding port 80 needs root).
    /// </summary>
    public static bool UnprivilegedPorts { get; set; }

    /// <summary>Where the next fake device listens: port 80 of its own address, or a free port of 127.0.0.1.</summary>
    public static IPEndPoint NextEndPoint() => UnprivilegedPorts ? new IPEndPoint(IPAddress.Loopback, 0) : new IPEndPoint(Next(), 80);

    public static IPAddress Next()
    {
        var n = Interlocked.Increment(ref _next);
        var second = 10 + ((n / PerSecondOctet) % 240);
        var third = (n / 254) % 256;
        var fourth = 1 + (n % 254);
        return new IPAddress([127, (byte)second, (byte)third, (byte)fourth]);
    }
}
