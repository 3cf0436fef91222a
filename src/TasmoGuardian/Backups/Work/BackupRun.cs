namespace TasmoGuardian.Backups.Work;

/// <summary>One backup-all in progress: how many devices it covers and how each ended so far.</summary>
internal sealed class BackupRun
{
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

    public int Done => BackedUp + Skipped + Failed;

    public bool IsComplete => Done >= Total;

    public int Progress => Total == 0 ? 100 : Done * 100 / Total;

    public void Count(BackupOutcomeKind kind)
    {
        switch (kind)
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
