namespace TasmoGuardian.Backups.Work;

/// <summary>One backup-all in progress: how many devices it covers and how each ended so far.</summary>
internal sealed class BackupRun
{
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public BackupRun(BackupTrigger trigger, int total, DateTimeOffset started, long startTimestamp)
    {
        Trigger = trigger;
        Total = total;
        Started = started;
        StartTimestamp = startTimestamp;
    }

    public BackupTrigger Trigger { get; }

    public int Total { get; }

    public DateTimeOffset Started { get; }

    public long StartTimestamp { get; }

    public int BackedUp { get; private set; }

    public int Skipped { get; private set; }

    public int Failed { get; private set; }

    /// <summary>The devices whose configuration changed, by name, sorted; a device without a sure answer is not among them.</summary>
    public IReadOnlyList<string> ChangedDevices => [.. _changed.Order(StringComparer.OrdinalIgnoreCase)];

    public int Done => BackedUp + Skipped + Failed;

    public bool IsComplete => Done >= Total;

    public int Progress => Total == 0 ? 100 : Done * 100 / Total;

    public void Count(BackupOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Comparison?.Changed == true)
        {
            _changed.Add(outcome.Device.Name);
        }

        switch (outcome.Kind)
        {
            case BackupOutcomeKind.Succeeded:
                BackedUp++;
                break;
            case BackupOutcomeKind.Skipped:
                Skipped++;
                break;
            default:
                Failed++;
                break;
        }
    }
}
