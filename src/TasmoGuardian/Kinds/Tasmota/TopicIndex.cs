using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Which Tasmota device publishes under which base topic ("stat/kitchen/", "tele/kitchen/"): most messages do not
/// carry the MAC, so the topic must tell whose they are. Follows the registry: a device's bases change with its topic.
/// </summary>
internal sealed class TopicIndex
{
    private readonly Dictionary<string, Mac> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<Mac, string[]> _bases = [];
    private readonly Lock _gate = new();

    public static IReadOnlyList<string> BasesOf(Device device) =>
        TasmotaTopic.TryDecode(device.KindData, out var topic)
            ? [TasmotaTopics.StatBase(topic, device.Hostname, device.Mac), TasmotaTopics.TelemetryBase(topic, device.Hostname, device.Mac)]
            : [];

    public Mac? Owner(string topicBase)
    {
        lock (_gate)
        {
            return _owners.TryGetValue(topicBase, out var mac) ? mac : null;
        }
    }

    public void Update(Device device)
    {
        var bases = BasesOf(device).ToArray();
        lock (_gate)
        {
            if (_bases.TryGetValue(device.Mac, out var old))
            {
                foreach (var stale in old.Where(b => _owners.TryGetValue(b, out var owner) && owner == device.Mac))
                {
                    _owners.Remove(stale);
                }
            }

            _bases[device.Mac] = bases;
            foreach (var topicBase in bases)
            {
                _owners[topicBase] = device.Mac;
            }
        }
    }
}
