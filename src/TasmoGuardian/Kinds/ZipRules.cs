namespace TasmoGuardian.Kinds;

/// <summary>
/// How a kind whose backup is a zip of files tells configuration from the rest (<see cref="ZipComparer"/>): which
/// entries are not configuration (the identification answer), which JSON paths of a file the device rewrites by itself,
/// how deep a file's paths are worth naming, and files read by a rule of the kind's own (an INI file, Shelly's KVS).
/// </summary>
internal sealed record ZipRules
{
    /// <summary>The file whose JSON paths are named bare ("wifi.sta.ssid"); other files' paths are "file: path".</summary>
    public string? MainFile { get; init; }

    /// <summary>Entries that are kept for the record but are not configuration, such as info.json.</summary>
    public IReadOnlyCollection<string> NotConfiguration { get; init; } = [];

    /// <summary>Per file, the JSON paths the device changes by itself ("cfg.save_count"; "[*]" for any index).</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> SelfChanging { get; init; } = new Dictionary<string, IReadOnlyCollection<string>>();

    /// <summary>Per file, how many levels of its JSON paths are named (1: a preset, not each of its colours).</summary>
    public IReadOnlyDictionary<string, int> Depth { get; init; } = new Dictionary<string, int>();

    /// <summary>Per file, the kind's own comparison, giving whole names; files not here are compared as JSON or as bytes.</summary>
    public IReadOnlyDictionary<string, Func<byte[], byte[], IReadOnlyList<ConfigChange>>> Readers { get; init; } = new Dictionary<string, Func<byte[], byte[], IReadOnlyList<ConfigChange>>>();
}
