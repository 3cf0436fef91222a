using TasmoGuardian.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Backups.Schedule;

/// <summary>Requests a backup-all at each occurrence of the <c>schedule</c> option, in the add-on's time zone.</summary>
internal sealed class ScheduledBackupService : BackgroundService
{
    // Task.Delay cannot wait 50 days and a clock may jump (suspend, NTP): wait in slices and look again.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly CronSchedule? _schedule;
    private readonly BackupWorker _worker;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledBackupService> _logger;

    public ScheduledBackupService(GuardianOptions options, BackupWorker worker, TimeProvider time, ILogger<ScheduledBackupService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _schedule = options.Schedule;
        _worker = worker;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_schedule is null)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = _schedule.GetNextOccurrence(now, _time.LocalTimeZone);
                if (next is not { } due)
                {
                    BackupLog.NeverScheduled(_logger, _schedule.ToString());
                    return;
                }

                BackupLog.NextScheduled(_logger, TimeZoneInfo.ConvertTime(due, _time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture));
                while ((now = _time.GetUtcNow()) < due)
                {
                    var wait = due - now;
                    await Task.Delay(wait < LongestWait ? wait : LongestWait, _time, stoppingToken);
                }

                _worker.Request(BackupRequest.All(BackupTrigger.Schedule));
                now = due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
