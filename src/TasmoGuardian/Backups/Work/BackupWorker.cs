using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Backups.Work;

/// <summary>
/// The one worker that runs every backup: requests come through an inbox (buttons, commands, the schedule) into the
/// <see cref="BackupQueue"/>; the <see cref="BackupPipeline"/> takes devices from it one at a time; the worker keeps
/// the figures of the backup-all in progress and tells the rest through events. The inbox is read throughout, so a
/// button pressed during a backup-all is queued at once.
/// </summary>
internal sealed class BackupWorker : BackgroundService, IHostedLifecycleService
{
    private readonly Channel<BackupRequest> _inbox = Channel.CreateUnbounded<BackupRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly BackupQueue _queue = new();
    private readonly Lock _gate = new();
    private readonly DeviceRegistry _registry;
    private readonly DeviceBackup _backup;
    private readonly DeviceRestore _restore;
    private readonly RunStore _runs;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupWorker> _logger;
    private readonly CancellationTokenSource _inFlight = new();
    private TaskCompletionSource _queueChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _pipeline = Task.CompletedTask;
    private BackupRun? _run;
    private HubStatus _status = HubStatus.Never;
    private bool _draining;

    public BackupWorker(DeviceRegistry registry, DeviceBackup backup, DeviceRestore restore, RunStore runs, TimeProvider time, ILogger<BackupWorker> logger)
    {
        _registry = registry;
        _backup = backup;
        _restore = restore;
        _runs = runs;
        _time = time;
        _logger = logger;
    }

    /// <summary>After every device's backup that was attempted (not skipped).</summary>
    public event EventHandler<BackupOutcome>? BackupCompleted;

    /// <summary>After every restore, whatever its outcome.</summary>
    public event EventHandler<RestoreOutcome>? RestoreCompleted;

    /// <summary>After every change of the hub's figures: start, progress, end of a backup-all.</summary>
    public event EventHandler<HubStatus>? StatusChanged;

    /// <summary>When a backup-all has ended.</summary>
    public event EventHandler<HubStatus>? RunFinished;

    public HubStatus Status => Volatile.Read(ref _status);

    /// <summary>Queues a request; it never blocks and never fails while the program runs.</summary>
    public bool Request(BackupRequest request) => _inbox.Writer.TryWrite(request);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await _runs.LastAsync(cancellationToken) is { } last)
            {
                _status = new HubStatus(false, 100, last.Finished, last.BackedUp, last.Skipped, last.Failed) { ChangedDevices = last.ChangedDevices };
            }
        }
        catch (SqliteException ex)
        {
            // The hub shows "unknown" for the last run until the next one; backing up matters more.
            BackupLog.RunHistoryUnreadable(_logger, ex.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The first step of a graceful stop, before anything else stops: no new device is started, and the one in flight
    /// gets <see cref="StopBudget.BackupInFlight"/> to finish; its file is written, its row recorded and its event
    /// raised, while the broker connection is still up. A download that takes longer is cancelled and leaves nothing.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        int waiting;
        lock (_gate)
        {
            _draining = true;
            waiting = _queue.Waiting;
            _queueChanged.TrySetResult();
        }

        _inFlight.CancelAfter(StopBudget.BackupInFlight);
        try
        {
            await _pipeline.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's own deadline, or the grace above: what was in flight left nothing behind.
        }

        if (waiting > 0)
        {
            BackupLog.StoppedWithQueue(_logger, waiting);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _inFlight.Token);
        _pipeline = BackupPipeline.RunAsync(NextAsync, PrepareAsync, _backup.CompleteWorkAsync, Done, inFlight.Token);
        try
        {
            await foreach (var request in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                Accept(request);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await _pipeline;
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Figures and events change under the lock, so the hub never sees them out of order.
    private void Accept(BackupRequest request)
    {
        lock (_gate)
        {
            if (_draining)
            {
                return;
            }

            if (request.Restore is { } restore)
            {
                if (!_queue.AddRestore(restore))
                {
                    BackupLog.Merged(_logger, $"a restore onto {restore.TargetMac}");
                }
            }
            else if (request.Mac is { } mac)
            {
                if (_queue.Add(mac, force: true, run: null))
                {
                    BackupLog.Queued(_logger, mac.ToString());
                }
                else
                {
                    BackupLog.Merged(_logger, mac.ToString());
                }
            }
            else if (_run is not null)
            {
                BackupLog.Merged(_logger, "all devices");
            }
            else
            {
                // Switched off by the user, or deleted in Home Assistant: not part of the run at all, not even as skipped.
                var devices = _registry.Snapshot().Where(d => d.Include && !d.HiddenInHomeAssistant).ToList();
                _run = new BackupRun(request.Trigger, devices.Count, _time.GetUtcNow(), _time.GetTimestamp());
                BackupLog.RunStarted(_logger, devices.Count, request.Trigger.ToString().ToLowerInvariant());
                foreach (var device in devices)
                {
                    _queue.Add(device.Mac, force: false, _run);
                }

                SetStatus(Status with { Running = true, Progress = _run.Progress });
                FinishRunIfComplete();
            }

            _queueChanged.TrySetResult();
        }
    }

    private async Task<QueuedBackup?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_draining)
                {
                    return null;
                }

                if (_queue.Take() is { } next)
                {
                    return next;
                }

                if (_queueChanged.Task.IsCompleted)
                {
                    _queueChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed = _queueChanged.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private async Task<PreparedBackup?> PrepareAsync(QueuedBackup item, CancellationToken cancellationToken)
    {
        try
        {
            if (item.Restore is { } restore)
            {
                var attempt = _time.GetUtcNow();
                var started = _time.GetTimestamp();
                var outcome = await _restore.RunAsync(restore, PreRestoreDone, cancellationToken);
                return new PreparedBackup.Finished(outcome, attempt, started);
            }

            return await _backup.PrepareAsync(item, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (item.Restore is not null)
            {
                // Its row keeps the stage it reached; the next start ends it as failed and says so.
                RestoreLog.StoppedMidRestore(_logger, item.Mac.ToString());
            }
            else
            {
                // Stopping, and the device took longer than the stop allows: nothing was written.
                BackupLog.StoppedMidDownload(_logger, item.Mac.ToString());
            }

            return null;
        }
    }

    private void PreRestoreDone(BackupOutcome outcome)
    {
        lock (_gate)
        {
            BackupCompleted?.Invoke(this, outcome);
        }
    }

    private void Done(QueuedBackup item, WorkOutcome? work)
    {
        lock (_gate)
        {
            _queue.Finished(item);

            // The device is free again: an item that waited for it may start.
            _queueChanged.TrySetResult();
            if (work is RestoreOutcome restored)
            {
                RestoreCompleted?.Invoke(this, restored);
                return;
            }

            if (work is not BackupOutcome outcome)
            {
                return;
            }

            if (outcome.Kind != BackupOutcomeKind.Skipped)
            {
                BackupCompleted?.Invoke(this, outcome);
            }

            if (item.Run is not { } run)
            {
                return;
            }

            run.Count(outcome);
            if (!run.IsComplete)
            {
                SetStatus(Status with { Running = true, Progress = run.Progress });
            }

            FinishRunIfComplete();
        }
    }

    private void FinishRunIfComplete()
    {
        if (_run is not { IsComplete: true } run)
        {
            return;
        }

        _run = null;
        var finished = _time.GetUtcNow();
        var trigger = run.Trigger.ToString().ToLowerInvariant();
        var status = new HubStatus(false, 100, finished, run.BackedUp, run.Skipped, run.Failed) { ChangedDevices = run.ChangedDevices };
        BackupLog.AllOperation(_logger, trigger, run.BackedUp, run.Skipped, run.Failed, (long)_time.GetElapsedTime(run.StartTimestamp).TotalMilliseconds);
        SetStatus(status);
        RunFinished?.Invoke(this, status);
        _ = RecordRunAsync(new RunRecord(trigger, run.Started, finished, run.BackedUp, run.Skipped, run.Failed) { ChangedDevices = status.ChangedDevices });
    }

    private async Task RecordRunAsync(RunRecord record)
    {
        try
        {
            await _runs.InsertAsync(record, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            // Only the hub's "last run" after a restart depends on it; the backups themselves are recorded.
            BackupLog.RunRecordFailed(_logger, record.Trigger, ex.Message);
        }
    }

    private void SetStatus(HubStatus status)
    {
        Volatile.Write(ref _status, status);
        StatusChanged?.Invoke(this, status);
    }
}
