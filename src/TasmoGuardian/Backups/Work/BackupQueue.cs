using TasmoGuardian.Devices;
using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Backups.Work;

/// <summary>One device in the queue: a backup, or a restore onto it. A later request for it is merged here instead of queuing it twice.</summary>
internal sealed class QueuedBackup(Mac mac, RestoreRequest? restore = null)
{
    public Mac Mac { get; } = mac;

    /// <summary>Not null: this item is a restore onto the device, not a backup.</summary>
    public RestoreRequest? Restore { get; } = restore;

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
/// <item>A restore is its own item, queued at the end; a second restore onto a device that has one waiting or running
/// is merged. Never two items of one device at once: the next item whose device is busy waits, the ones behind it go.</item>
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
        if (_inProgress.Find(q => q.Mac == mac && q.Restore is null) is { } running)
        {
            running.Run ??= run;
            return false;
        }

        if (_waiting.Find(q => q.Mac == mac && q.Restore is null) is { } waiting)
        {
            waiting.Force |= force;
            waiting.Run ??= run;
            return false;
        }

        _waiting.Add(new QueuedBackup(mac) { Force = force, Run = run });
        return true;
    }

    /// <returns>True if the restore was queued, false if one onto that device is waiting or running already.</returns>
    public bool AddRestore(RestoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mac = request.TargetMac;
        if (_waiting.Exists(q => q.Mac == mac && q.Restore is not null) || _inProgress.Exists(q => q.Mac == mac && q.Restore is not null))
        {
            return false;
        }

        _waiting.Add(new QueuedBackup(mac, request));
        return true;
    }

    /// <summary>The next item whose device is not busy, now in progress; null when none can start.</summary>
    public QueuedBackup? Take()
    {
        var index = _waiting.FindIndex(q => !_inProgress.Exists(p => p.Mac == q.Mac));
        if (index < 0)
        {
            return null;
        }

        var next = _waiting[index];
        _waiting.RemoveAt(index);
        _inProgress.Add(next);
        return next;
    }

    /// <summary>The item has ended (or was abandoned): a new request for the device queues it again.</summary>
    public void Finished(QueuedBackup item) => _inProgress.Remove(item);
}
