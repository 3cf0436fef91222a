using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Telemetry from a topic we cannot yet tie to a MAC (an INFO1 before the STATUS5 reply, say), kept briefly so it is
/// not lost once the device is identified. Bounded in topics and in messages per topic.
/// </summary>
internal sealed class PendingReports
{
    private const int MaxTopics = 2048;
    private readonly Dictionary<string, Dictionary<string, TasmotaReport>> _byBase = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    public void Remember(string topicBase, string suffix, TasmotaReport report)
    {
        lock (_gate)
        {
            if (!_byBase.TryGetValue(topicBase, out var reports))
            {
                while (_byBase.Count >= MaxTopics && _order.TryDequeue(out var oldest))
                {
                    _byBase.Remove(oldest);
                }

                reports = new Dictionary<string, TasmotaReport>(StringComparer.Ordinal);
                _byBase[topicBase] = reports;
                _order.Enqueue(topicBase);
            }

            reports[suffix] = report;
        }
    }

    public IReadOnlyList<TasmotaReport> Take(string topicBase)
    {
        lock (_gate)
        {
            return _byBase.Remove(topicBase, out var reports) ? [.. reports.Values] : [];
        }
    }
}
