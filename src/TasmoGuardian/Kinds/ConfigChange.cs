namespace TasmoGuardian.Kinds;

/// <summary>
/// One thing that differs between two backups of a device, by name only (a value may be a secret): a setting
/// ("FriendlyName1", "wifi.sta.ssid", "cfg.json: id.name"), a file ("scripts/1_power-monitor.js"), and whether it
/// changed, came or went.
/// </summary>
internal sealed record ConfigChange(string Name, ConfigChangeKind Kind)
{
    public static ConfigChange Changed(string name) => new(name, ConfigChangeKind.Changed);

    public static ConfigChange Added(string name) => new(name, ConfigChangeKind.Added);

    public static ConfigChange Removed(string name) => new(name, ConfigChangeKind.Removed);

    /// <summary>The line <c>--diff</c> prints: "~ name" changed, "+ name" only in the second file, "- name" only in the first.</summary>
    public override string ToString() => Kind switch
    {
        ConfigChangeKind.Added => $"+ {Name}",
        ConfigChangeKind.Removed => $"- {Name}",
        _ => $"~ {Name}",
    };
}

internal enum ConfigChangeKind
{
    Changed,
    Added,
    Removed,
}
