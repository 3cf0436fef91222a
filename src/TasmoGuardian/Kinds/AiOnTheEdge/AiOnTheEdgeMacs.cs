using System.Collections.Concurrent;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// The MACs AI-on-the-Edge devices publish, retained, under their main topic (<c>&lt;main&gt;/MAC</c> beside
/// <c>&lt;main&gt;/IP</c>): the device tells its MAC nowhere else (research §4.5), so its identification by address looks
/// here.
/// </summary>
internal sealed class AiOnTheEdgeMacs
{
    private readonly ConcurrentDictionary<string, (Mac? Mac, string? Ip)> _byTopic = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Mac Mac, string Topic)> _byIp = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records one of the two retained values; returns the pair once both are known for the main topic.</summary>
    public (Mac Mac, string Ip)? Learn(string mainTopic, Mac? mac, string? ip)
    {
        var now = _byTopic.AddOrUpdate(mainTopic, (mac, ip), (_, old) => (mac ?? old.Mac, ip ?? old.Ip));
        if (now is { Mac: { } knownMac, Ip: { } knownIp })
        {
            _byIp[knownIp] = (knownMac, mainTopic);
            return (knownMac, knownIp);
        }

        return null;
    }

    public Mac? Find(string ip) => _byIp.TryGetValue(ip, out var known) ? known.Mac : null;

    public string? MainTopic(string ip) => _byIp.TryGetValue(ip, out var known) ? known.Topic : null;
}
