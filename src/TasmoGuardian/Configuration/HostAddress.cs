using System.Globalization;
using System.Net;

namespace TasmoGuardian.Configuration;

/// <summary>Checks the <c>host</c> of a device given by hand: an IP or a host name, optionally with <c>:port</c>.</summary>
internal static class HostAddress
{
    /// <summary>The IP address a valid host names (without its port), or null when it is a host name.</summary>
    public static string? IpOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var address = host;
        if (host.StartsWith('[') && host.IndexOf(']', StringComparison.Ordinal) is > 0 and var close)
        {
            address = host[1..close];
        }
        else if (host.Count(c => c == ':') == 1)
        {
            address = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        return IPAddress.TryParse(address, out var ip) ? ip.ToString() : null;
    }

    public static bool TryValidate(string value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "is empty";
            return false;
        }

        if (value.Contains("://", StringComparison.Ordinal) || value.Contains('/', StringComparison.Ordinal))
        {
            problem = $"'{value}' is not a host: give only the IP or name, without http:// or a path";
            return false;
        }

        var host = value;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"'{value}' has an unclosed '['";
                return false;
            }

            host = value[1..close];
            if (close + 1 < value.Length)
            {
                if (value[close + 1] != ':')
                {
                    problem = $"'{value}' has text after ']' that is not a port";
                    return false;
                }

                port = value[(close + 2)..];
            }

            if (!IPAddress.TryParse(host, out _))
            {
                problem = $"'{host}' is not an IPv6 address";
                return false;
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        else if (value.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(value, out _))
            {
                return true;
            }

            problem = $"'{value}' is not an address; write IPv6 with a port as [address]:port";
            return false;
        }

        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            problem = $"'{port}' is not a port between 1 and 65535";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            problem = $"'{host}' is not an IP address or host name";
            return false;
        }

        return true;
    }
}
