using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds;

/// <summary>
/// What the kinds that back up a zip of files share (contract.md, "What changed"): files that came or went are named
/// by their path, a JSON file by the paths inside it that differ, any other file by its path when its bytes differ.
/// Each kind gives its <see cref="ZipRules"/> and how its zip is recognised.
/// </summary>
internal sealed class ZipComparer : IBackupComparer
{
    private readonly Func<IReadOnlyDictionary<string, byte[]>, bool> _recognizes;
    private readonly ZipRules _rules;

    /// <param name="recognizes">Whether a zip's entries are this kind's backup (the files it always has).</param>
    public ZipComparer(Func<IReadOnlyDictionary<string, byte[]>, bool> recognizes, ZipRules rules)
    {
        _recognizes = recognizes;
        _rules = rules;
    }

    /// <summary>Any zip, every entry configuration: the last resort of <c>--diff</c> (Tasmota's <c>.files.zip</c> given alone).</summary>
    public static ZipComparer AnyZip { get; } = new(_ => true, new ZipRules());

    public bool Recognizes(BackupContent backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        try
        {
            return _recognizes(BackupZip.Read(backup.Main));
        }
        catch (DeviceException)
        {
            return false;
        }
    }

    public IReadOnlyList<ConfigChange> Compare(BackupContent previous, BackupContent current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return Compare(BackupZip.Read(previous.Main), BackupZip.Read(current.Main), _rules);
    }

    /// <summary>The differences between two zips' entries under <paramref name="rules"/>: the main file first, then by path.</summary>
    public static IReadOnlyList<ConfigChange> Compare(IReadOnlyDictionary<string, byte[]> previous, IReadOnlyDictionary<string, byte[]> current, ZipRules rules)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(rules);
        var names = previous.Keys.Union(current.Keys, StringComparer.Ordinal)
            .Where(n => !rules.NotConfiguration.Contains(n))
            .OrderBy(n => n == rules.MainFile ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal);
        var changes = new List<ConfigChange>();
        foreach (var name in names)
        {
            var (had, has) = (previous.TryGetValue(name, out var before), current.TryGetValue(name, out var after));
            if (!had || !has)
            {
                changes.Add(had ? ConfigChange.Removed(name) : ConfigChange.Added(name));
            }
            else if (rules.Readers.TryGetValue(name, out var reader))
            {
                changes.AddRange(reader(before!, after!));
            }
            else if (!before!.AsSpan().SequenceEqual(after))
            {
                changes.AddRange(FileChanges(name, before!, after!, rules));
            }
        }

        return Distinct(changes);
    }

    /// <summary>Each name once, the first kind it was seen with.</summary>
    public static IReadOnlyList<ConfigChange> Distinct(IEnumerable<ConfigChange> changes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. changes.Where(c => seen.Add(c.Name))];
    }

    private static IEnumerable<ConfigChange> FileChanges(string name, byte[] before, byte[] after, ZipRules rules)
    {
        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return [ConfigChange.Changed(name)];
        }

        IReadOnlyList<JsonPathDifference> differences;
        try
        {
            differences = JsonCompare.Differences(before, after, rules.SelfChanging.GetValueOrDefault(name), rules.Depth.GetValueOrDefault(name, int.MaxValue));
        }
        catch (JsonException)
        {
            // A file that is not JSON (any more) changed as a whole.
            return [ConfigChange.Changed(name)];
        }

        return differences.Select(d =>
        {
            var path = d.Path.Length == 0 ? name : name == rules.MainFile ? d.Path : $"{name}: {d.Path}";
            return d.InBefore && d.InAfter ? ConfigChange.Changed(path) : d.InAfter ? ConfigChange.Added(path) : ConfigChange.Removed(path);
        });
    }
}
