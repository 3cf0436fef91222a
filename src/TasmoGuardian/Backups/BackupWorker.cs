using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Hosting;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups;

/// <summary>
/// The one worker that runs every backup. Devices are contacted one at a time (ESP web servers and weak Wi-Fi cope
/// badly with more); the local part of a backup (writing, recording, pruning) runs while the next device is being
/// downloaded, in order. Requests arrive through a channel and are merged: a device already waiting or in progress
/// is not queued twice; a single-device request makes a waiting device exempt from the skip rule. The inbox is read
/// throughout, so a button pressed during a backup-all is queued after it at once.
/// </summary>
internal sealed class BackupWorker : BackgroundService, IHostedLifecycleService
{
    private readonly Channel<BackupRequest> _inbox = Channel.CreateUnbounded<BackupRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<QueuedBackup> _queue = [];
    private readonly DeviceRegistry _registry;
    private readonly BackupService _backups;
    private readonly RunStore _runs;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupWorker> _logger;
    private readonly MemoryTrim _memory;
    private QueuedBackup? _downloading;
    private QueuedBackup? _completing;
    private BackupRun? _run;
    private HubStatus _status = HubStatus.Never;
    private readonly TaskCompletionSource _drain = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _inFlight = new();

    public BackupWorker(DeviceRegistry registry, BackupService backups, RunStore runs, GuardianOptions options, TimeProvider time, ILogger<BackupWorker> logger, MemoryTrim memory)
    {
        _memory = memory;
        _registry = registry;
        _backups = backups;
        _runs = runs;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>After every device's backup that was attempted (not skipped).</summary>
    public event EventHandler<BackupOutcome>? BackupCompleted;

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
                _status = new HubStatus(false, 100, last.Finished, last.BackedUp, last.Skipped, last.Failed);
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
        _drain.TrySetResult();
        _inFlight.CancelAfter(StopBudget.BackupInFlight);
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's own deadline: StopAsync cancels what is left.
            }
        }

        if (_queue.Count > 0)
        {
            BackupLog.StoppedWithQueue(_logger, _queue.Count);
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
        Task<bool>? request = null;
        Task<PreparedBackup>? download = null;
        Task<BackupOutcome>? completion = null;
        PreparedBackup? downloaded = null;
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _inFlight.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var draining = _drain.Task.IsCompleted;
                if (!draining)
                {
                    DrainInbox();
                }

                await FinishRunIfCompleteAsync();

                // The local part starts once the previous one is done, so outcomes arrive in queue order. Once a
                // download has succeeded its file is written and recorded whatever happens: not cancellable.
                if (downloaded is not null && completion is null)
                {
                    _completing = _downloading;
                    _downloading = null;
                    completion = CompleteAsync(downloaded, CancellationToken.None);
                    downloaded = null;
                }

                if (!draining && download is null && downloaded is null && _queue.Count > 0)
                {
                    _downloading = _queue[0];
                    _queue.RemoveAt(0);
                    download = PrepareAsync(_downloading, inFlight.Token);
                }

                if (draining && download is null && downloaded is null && completion is null)
                {
                    return;
                }

                request ??= _inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var finished = await Task.WhenAny(new Task?[] { request, download, completion, draining ? null : _drain.Task }.OfType<Task>());
                if (finished == request)
                {
                    await request;
                    request = null;
                }

                if (completion is { IsCompleted: true })
                {
                    var outcome = await completion;
                    completion = null;
                    Complete(_completing!, outcome);
                    _completing = null;
                }

                if (download is { IsCompleted: true })
                {
                    try
                    {
                        downloaded = await download;
                    }
                    catch (OperationCanceledException) when (_inFlight.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                    {
                        // Stopping, and the device took longer than the stop allows: nothing was written.
                        BackupLog.StoppedMidDownload(_logger, _downloading?.Mac.ToString() ?? "?");
                        _downloading = null;
                    }

                    download = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the backup in progress was cancelled and left nothing behind.
        }
    }

    private void DrainInbox()
    {
        while (_inbox.Reader.TryRead(out var request))
        {
            if (request.Mac is { } mac)
            {
                Enqueue(mac, force: true, run: null);
            }
            else
            {
                StartRun(request.Trigger);
            }
        }
    }

    private void StartRun(BackupTrigger trigger)
    {
        if (_run is not null)
        {
            BackupLog.Merged(_logger, "all devices");
            return;
        }

        // Switched off by the user, or deleted in Home Assistant: not part of the run at all, not even as skipped.
        var devices = _registry.Snapshot().Where(d => d.Include && !d.HiddenInHomeAssistant).ToList();
        var run = new BackupRun(trigger, devices.Count, _time.GetUtcNow(), _time.GetTimestamp());
        _run = run;
        BackupLog.RunStarted(_logger, devices.Count, trigger.ToString().ToLowerInvariant());
        foreach (var device in devices)
        {
            Enqueue(device.Mac, force: false, run);
        }

        SetStatus(new HubStatus(true, run.Progress, Status.LastRun, Status.BackedUp, Status.Skipped, Status.Failed));
    }

    private void Enqueue(Mac mac, bool force, BackupRun? run)
    {
        var inProgress = _downloading?.Mac == mac ? _downloading : _completing?.Mac == mac ? _completing : null;
        var existing = inProgress ?? _queue.Find(q => q.Mac == mac);
        if (existing is not null)
        {
            BackupLog.Merged(_logger, mac.ToString());
            existing.Force |= force && inProgress is null;
            existing.Run ??= run;
            return;
        }

        _queue.Add(new QueuedBackup(mac) { Force = force, Run = run });
    }

    private async Task<PreparedBackup> PrepareAsync(QueuedBackup item, CancellationToken cancellationToken)
    {
        var device = _registry.Find(item.Mac);
        var now = _time.GetUtcNow();
        if (device is null)
        {
            var unknown = new Device { Mac = item.Mac, Name = item.Mac.ToString() };
            return new PreparedBackup(unknown, _time.GetTimestamp(), now, null, new BackupFailure(BackupFailureKind.UnknownDevice, "the device is not known"));
        }

        if (!item.Force && item.Run is not null)
        {
            if (BackupPolicy.ShouldSkip(device.LastBackup, item.Run.Started, _options.BackupMinHours))
            {
                return new PreparedBackup(device, _time.GetTimestamp(), now, null, null, Skipped: true);
            }

            if (device.Online == false)
            {
                // Its MQTT LWT says Offline: waiting out a timeout would only slow the run down. A single press still tries.
                return new PreparedBackup(device, _time.GetTimestamp(), now, null, new BackupFailure(BackupFailureKind.Offline, "the device is offline (its MQTT LWT says Offline)"));
            }
        }

        try
        {
            return await _backups.DownloadAsync(device, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            BackupLog.Unexpected(_logger, ex, device.Name);
            return new PreparedBackup(device, _time.GetTimestamp(), now, null, new BackupFailure(BackupFailureKind.Unreachable, $"unexpected error: {ex.Message}"));
        }
    }

    private async Task<BackupOutcome> CompleteAsync(PreparedBackup prepared, CancellationToken cancellationToken)
    {
        try
        {
            return await _backups.CompleteAsync(prepared, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            BackupLog.Unexpected(_logger, ex, prepared.Device.Name);
            return BackupOutcome.Failed(prepared.Device, new BackupFailure(BackupFailureKind.WriteFailed, $"unexpected error: {ex.Message}"));
        }
    }

    private void Complete(QueuedBackup item, BackupOutcome outcome)
    {
        if (outcome.Kind != BackupOutcomeKind.Skipped)
        {
            BackupCompleted?.Invoke(this, outcome);
        }

        if (item.Run is not { } run)
        {
            return;
        }

        run.Count(outcome.Kind);
        if (!run.IsComplete)
        {
            SetStatus(Status with { Running = true, Progress = run.Progress });
        }
    }

    private async Task FinishRunIfCompleteAsync()
    {
        if (_run is not { IsComplete: true } run)
        {
            return;
        }

        _run = null;
        var finished = _time.GetUtcNow();
        var status = new HubStatus(false, 100, finished, run.BackedUp, run.Skipped, run.Failed);
        BackupLog.AllOperation(_logger, run.Trigger.ToString().ToLowerInvariant(), run.BackedUp, run.Skipped, run.Failed, (long)_time.GetElapsedTime(run.StartTimestamp).TotalMilliseconds);
        SetStatus(status);
        RunFinished?.Invoke(this, status);
        _memory.AfterBurst();
        try
        {
            await _runs.InsertAsync(new RunRecord(run.Trigger.ToString().ToLowerInvariant(), run.Started, finished, run.BackedUp, run.Skipped, run.Failed), CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            // Only the hub's "last run" after a restart depends on it; the backups themselves are recorded.
            BackupLog.RunRecordFailed(_logger, run.Trigger.ToString().ToLowerInvariant(), ex.Message);
        }
    }

    private void SetStatus(HubStatus status)
    {
        Volatile.Write(ref _status, status);
        StatusChanged?.Invoke(this, status);
    }
}
