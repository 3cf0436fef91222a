using System.Net;
using System.Net.Sockets;

namespace TasmoGuardian.Testing;

public static class PortAllocator
{
    /// <summary>A TCP port free on 127.0.0.1 right now (the OS picks it, so parallel tests do not collide).</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
