using System.Collections.Concurrent;
using TasmoGuardian.Devices;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// What each device's restore_source select shows: the file a press of Restore would put back. Kept in memory only: after
/// a restart every select shows the newest backup again, the safest default.
/// </summary>
internal sealed class RestoreSelection
{
    private readonly ConcurrentDictionary<Mac, string> _selected = new();

    /// <summary>The selected file, or null for "the newest".</summary>
    public string? For(Mac mac) => _selected.TryGetValue(mac, out var file) ? file : null;

    public void Select(Mac mac, string fileName) => _selected[mac] = fileName;
}
