namespace TasmoGuardian.Devices;

/// <summary>
/// How a successful backup compared with the device's previous one (contract.md, "What changed"): whether its
/// configuration changed, the names of what did (at most <see cref="MaxNames"/>; <see cref="More"/> counts the rest), and
/// the file it was compared with. <see cref="Changed"/> is null when it cannot be told (the device's first backup, a
/// previous file that is missing or unreadable); <see cref="Unknown"/> then says why. Names only: values may be secrets.
/// </summary>
internal sealed record BackupComparison(bool? Changed, IReadOnlyList<string> Changes, int More, string? ComparedWith, string? Unknown)
{
    /// <summary>As many names as an event or an attribute carries; an automation's message stays readable.</summary>
    public const int MaxNames = 20;

    /// <summary>What a backup was found to change compared with <paramref name="comparedWith"/>; no names: unchanged.</summary>
    public static BackupComparison Of(IReadOnlyCollection<string> names, string comparedWith)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new BackupComparison(names.Count > 0, [.. names.Take(MaxNames)], Math.Max(0, names.Count - MaxNames), comparedWith, null);
    }

    /// <summary>Could not be told; <paramref name="reason"/> says why, as a user reads it.</summary>
    public static BackupComparison NotKnown(string reason, string? comparedWith = null) => new(null, [], 0, comparedWith, reason);
}
