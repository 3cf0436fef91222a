using System.Collections.Concurrent;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// What plates told in their <c>hasp/discovery/&lt;hwid&gt;</c> messages, by address: the "hwid" is the plate's Wi-Fi
/// station MAC (12 lower-case hex digits, openHASP <c>src/dev/esp32/esp32.cpp:112-120</c>). Identification needs it
/// only for builds whose <c>/api/info/</c> has no network block (the Ethernet builds), which tell their MAC nowhere
/// else over HTTP.
/// </summary>
internal sealed class OpenHaspAnnouncements
{
    // A network has a few plates; an address space flooded with fake announcements must not grow this without end.
    private const int MaxPlates = 1024;
    private const int MaxPayloadBytes = 4096;

    private readonly ConcurrentDictionary<string, (Mac Mac, byte[] Payload)> _byIp = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The address in the message's "uri" ("http://&lt;ip&gt;"), remembering its "hwid"; null when it has no address.</summary>
    public string? Read(MqttMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonRead.Object(message.Payload, out _);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var uri = JsonRead.String(root, "uri");
        var ip = System.Uri.TryCreate(uri, UriKind.Absolute, out var address) && address.Scheme == System.Uri.UriSchemeHttp ? DeviceText.CleanIp(address.Host) : null;
        if (ip is not null && Mac.TryParse(JsonRead.String(root, "hwid"), out var mac) && message.Payload.Length <= MaxPayloadBytes
            && (_byIp.Count < MaxPlates || _byIp.ContainsKey(ip)))
        {
            _byIp[ip] = (mac, message.Payload.ToArray());
        }

        return ip;
    }

    /// <summary>The MAC and the discovery message of the plate last announced at <paramref name="host"/> (an address, with or without a port).</summary>
    public (Mac Mac, byte[] Payload)? Find(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var ip = HostAddress.IpOf(host) ?? host;
        return _byIp.TryGetValue(ip, out var known) ? known : null;
    }
}
