namespace TasmoGuardian.Backups.Work;

/// <summary>What the hub's sensors show: the current or last backup-all.</summary>
internal sealed record HubStatus(bool Running, int Progress, DateTimeOffset? LastRun, int BackedUp, int Skipped, int Failed)
{
    public static readonly HubStatus Never = new(false, 0, null, 0, 0, 0);

    /// <summary>The names of the devices whose configuration changed in the last finished backup-all, sorted.</summary>
    public IReadOnlyList<string> ChangedDevices { get; init; } = [];
}
