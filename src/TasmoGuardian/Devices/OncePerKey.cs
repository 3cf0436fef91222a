namespace TasmoGuardian.Devices;

/// <summary>
/// Remembers which keys (topic and problem, usually) have been reported, so a device repeating the same bad message is
/// logged once at warning level and then only at debug. Bounded, so a flood of distinct topics cannot grow it without end.
/// </summary>
internal sealed class OncePerKey
{
    private const int Capacity = 4096;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool First(string key)
    {
        lock (_gate)
        {
            if (_seen.Count >= Capacity)
            {
                _seen.Clear();
            }

            return _seen.Add(key);
        }
    }

    /// <summary>Runs <paramref name="first"/> the first time <paramref name="key"/> is reported, <paramref name="again"/> after that.</summary>
    public void Report(string key, Action first, Action again)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(again);
        (First(key) ? first : again)();
    }
}
