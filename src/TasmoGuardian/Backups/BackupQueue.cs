using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>One device in the queue. A later request for it is merged here instead of queuing it twice.</summary>
internal sealed class QueuedBackup(Mac mac)
{
    public Mac Mac { get; } = mac;

    /// <summary>Someone asked for this device alone: it is never skipped.</summary>
    public bool Force { get; set; }

    /// <summary>The backup-all this device counts towards, if any.</summary>
    public BackupRun? Run { get; set; }
}

/// <summary>
/// The worker's queue and its merge rules, and nothing else: no I/O, no clock, no threads (the worker holds a lock).
/// <list type="bullet">
/// <item>A device waiting is not queued twice: a single-device request makes it exempt from the skip rule, a
/// backup-all makes it count towards the run.</item>
/// <item>A device in progress is not started again: a backup-all counts it towards the run; a press for it is merged.</item>
/// <item>Anything else is queued at the end: a press during a backup-all for a device the run has already done is
/// served after the run.</item>
/// </list>
/// </summary>
internal sealed class BackupQueue
{
    private readonly List<QueuedBackup> _waiting = [];
    private readonly List<QueuedBackup> _inProgress = [];

    public int Waiting => _waiting.Count;

    /// <returns>True if the device was queued, false if the request was merged into one waiting or in progress.</returns>
    public bool Add(Mac mac, bool force, BackupRun? run)
    {
        if (_inProgress.Find(q => q.Mac == mac) is { } running)
        {
            running.Run ??= run;
            return false;
        }

        if (_waiting.Find(q => q.Mac == mac) is { } waiting)
        {
            waiting.Force |= force;
            waiting.Run ??= run;
            return false;
        }

        _waiting.Add(new QueuedBackup(mac) { Force = force, Run = run });
        return true;
    }

    /// <summary>The next device to back up, now in progress; null when none waits.</summary>
    public QueuedBackup? Take()
    {
        if (_waiting.Count == 0)
        {
            return null;
        }

        var next = _waiting[0];
        _waiting.RemoveAt(0);
        _inProgress.Add(next);
        return next;
    }

    /// <summary>The device's backup has ended (or was abandoned): a new request for it queues it again.</summary>
    public void Finished(QueuedBackup item) => _inProgress.Remove(item);
}
