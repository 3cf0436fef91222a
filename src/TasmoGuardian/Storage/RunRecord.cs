namespace TasmoGuardian.Storage;

/// <summary>One finished backup-all, for the hub's sensors after a restart.</summary>
internal sealed record RunRecord(string Trigger, DateTimeOffset Started, DateTimeOffset Finished, int BackedUp, int Skipped, int Failed)
{
    /// <summary>The names of the devices whose configuration changed in this run.</summary>
    public IReadOnlyList<string> ChangedDevices { get; init; } = [];
}
