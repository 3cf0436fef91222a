using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Backups;

/// <summary>
/// The one worker that runs every backup, one device at a time (ESP web servers and weak Wi-Fi cope badly with
/// more). Requests arrive through a channel and are merged: a device already waiting or running is not queued twice;
/// a single-device request makes a waiting device exempt from the skip rule. While a device is being backed up the
/// inbox keeps being read, so a button pressed during a backup-all is queued after it at once.
/// </summary>
internal sealed class BackupWorker : BackgroundService
{
    private readonly Channel<BackupRequest> _inbox = Channel.CreateUnbounded<BackupRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<QueuedBackup> _queue = [];
    private readonly DeviceRegistry _registry;
    private readonly BackupService _backups;
    private readonly RunStore _runs;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupWorker> _logger;
    private QueuedBackup? _running;
    private BackupRun? _run;
    private HubStatus _status = HubStatus.Never;

    public BackupWorker(DeviceRegistry registry, BackupService backups, RunStore runs, GuardianOptions options, TimeProvider time, ILogger<BackupWorker> logger)
    {
        _registry = registry;
        _backups = backups;
        _runs = runs;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>After every device's backup, whatever its outcome.</summary>
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
        if (await _runs.LastAsync(cancellationToken) is { } last)
        {
            _status = new HubStatus(false, 100, last.Finished, last.BackedUp, last.Skipped, last.Failed);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task<bool>? waitForRequest = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DrainInbox();
                await FinishRunIfCompleteAsync();
                if (_queue.Count == 0)
                {
                    waitForRequest ??= _inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
                    await waitForRequest;
                    waitForRequest = null;
                    continue;
                }

                var item = _queue[0];
                _queue.RemoveAt(0);
                _running = item;
                var work = ProcessAsync(item, stoppingToken);
                while (!work.IsCompleted)
                {
                    waitForRequest ??= _inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
                    if (await Task.WhenAny(work, waitForRequest) == waitForRequest)
                    {
                        await waitForRequest;
                        waitForRequest = null;
                        DrainInbox();
                    }
                }

                var outcome = await work;
                _running = null;
                Complete(item, outcome);
                await FinishRunIfCompleteAsync();
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

        var devices = _registry.Snapshot();
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
        var existing = _running?.Mac == mac ? _running : _queue.Find(q => q.Mac == mac);
        if (existing is not null)
        {
            BackupLog.Merged(_logger, mac.ToString());
            existing.Force |= force && existing != _running;
            existing.Run ??= run;
            return;
        }

        _queue.Add(new QueuedBackup(mac) { Force = force, Run = run });
    }

    private async Task<BackupOutcome> ProcessAsync(QueuedBackup item, CancellationToken cancellationToken)
    {
        // Yield first: the caller watches the inbox while this runs.
        await Task.Yield();
        var device = _registry.Find(item.Mac);
        if (device is null)
        {
            var unknown = new Device { Mac = item.Mac, Name = item.Mac.ToString() };
            return BackupOutcome.Failed(unknown, new BackupFailure(BackupFailureKind.UnknownDevice, "the device is not known"));
        }

        if (!item.Force && item.Run is not null)
        {
            if (BackupPolicy.ShouldSkip(device.LastBackup, _time.GetUtcNow(), _options.BackupMinHours))
            {
                _backups.LogSkipped(device);
                return BackupOutcome.Skipped(device);
            }

            if (device.Online == false)
            {
                // Its MQTT LWT says Offline: waiting out a timeout would only slow the run down. A single press still tries.
                await _registry.RecordFailureAsync(device.Mac, "the device is offline (its MQTT LWT says Offline)", cancellationToken);
                return BackupOutcome.Failed(_registry.Find(device.Mac) ?? device, new BackupFailure(BackupFailureKind.Offline, "the device is offline (its MQTT LWT says Offline)"));
            }
        }

        try
        {
            return await _backups.BackupAsync(device, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            BackupLog.Unexpected(_logger, ex, device.Name);
            return BackupOutcome.Failed(device, new BackupFailure(BackupFailureKind.WriteFailed, $"unexpected error: {ex.Message}"));
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
        await _runs.InsertAsync(new RunRecord(run.Trigger.ToString().ToLowerInvariant(), run.Started, finished, run.BackedUp, run.Skipped, run.Failed), CancellationToken.None);
    }

    private void SetStatus(HubStatus status)
    {
        Volatile.Write(ref _status, status);
        StatusChanged?.Invoke(this, status);
    }
}
