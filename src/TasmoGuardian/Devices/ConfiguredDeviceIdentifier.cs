using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices.Tasmota;
using TasmoGuardian.Devices.Wled;

namespace TasmoGuardian.Devices;

/// <summary>
/// Identifies the devices given by host in the <c>devices</c> option over HTTP (Tasmota <c>/cm?cmnd=Status 0</c>,
/// WLED <c>/json/info</c>). A device that does not answer is retried with back-off, never holding up start-up, and
/// is listed once it answers. The refresh button asks again at once.
/// </summary>
internal sealed class ConfiguredDeviceIdentifier : BackgroundService
{
    private const int MaxAnswerBytes = 256 * 1024;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(5);

    // Identified devices are asked again now and then, to follow IP and firmware changes.
    private static readonly TimeSpan Recheck = TimeSpan.FromHours(6);

    private readonly GuardianOptions _options;
    private readonly DeviceRegistry _registry;
    private readonly DeviceHttp _http;
    private readonly DeviceCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfiguredDeviceIdentifier> _logger;
    private TaskCompletionSource _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConfiguredDeviceIdentifier(GuardianOptions options, DeviceRegistry registry, DeviceHttp http, DeviceCredentials credentials, InventoryRefresh refresh, TimeProvider time, ILogger<ConfiguredDeviceIdentifier> logger)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        _options = options;
        _registry = registry;
        _http = http;
        _credentials = credentials;
        _time = time;
        _logger = logger;
        refresh.Requested += (_, _) => Interlocked.Exchange(ref _refreshed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Asks one configured device who it is; null with a reason when it cannot tell.</summary>
    public async Task<DeviceObservation?> IdentifyAsync(DeviceOption option, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(option);
        DeviceObservation? observation;
        string? problem;
        if (option.Type == DeviceType.Wled)
        {
            var answer = await _http.GetAsync(new Uri($"http://{option.Host}/json/info"), null, null, _options.RequestTimeout, MaxAnswerBytes, cancellationToken);
            if (answer.StatusCode == 200)
            {
                observation = WledInfoParser.Parse(answer.Body, out problem);
            }
            else
            {
                observation = null;
                problem = $"HTTP {answer.StatusCode} for /json/info";
            }
        }
        else
        {
            var password = _credentials.PasswordFor(option);
            var query = "cmnd=Status%200" + (string.IsNullOrEmpty(password)
                ? string.Empty
                : $"&user={Uri.EscapeDataString(_credentials.Username)}&password={Uri.EscapeDataString(password)}");
            var answer = await _http.GetAsync(new Uri($"http://{option.Host}/cm?{query}"), null, null, _options.RequestTimeout, MaxAnswerBytes, cancellationToken);
            if (answer.StatusCode == 401)
            {
                throw BackupException.Of(BackupFailureKind.WrongPassword, string.IsNullOrEmpty(password) ? "the device asks for a password (HTTP 401)" : "wrong password (HTTP 401)");
            }

            if (answer.StatusCode != 200)
            {
                observation = null;
                problem = $"HTTP {answer.StatusCode} for /cm";
            }
            else
            {
                var report = TasmotaMessageParser.Parse("STATUS0", answer.Body, out problem);
                observation = report?.Mac is { } mac ? report.ToObservation(mac) : null;
                problem ??= observation is null ? "the answer has no MAC (StatusNET.Mac); is this a Tasmota device?" : null;
            }
        }

        if (observation is null)
        {
            throw BackupException.Of(BackupFailureKind.NotADump, problem ?? "the answer could not be read");
        }

        return observation with
        {
            ConfiguredHost = option.Host,
            Name = option.Name ?? observation.Name,
            NameSource = option.Name is null ? observation.NameSource : NameSource.Option,
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_options.Devices.Select(option => WatchAsync(option, stoppingToken)));

    private async Task WatchAsync(DeviceOption option, CancellationToken stoppingToken)
    {
        var failures = 0;
        var identified = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var refresh = Volatile.Read(ref _refreshed).Task;
            TimeSpan wait;
            try
            {
                var observation = await IdentifyAsync(option, stoppingToken);
                var device = await _registry.ApplyAsync(observation!, stoppingToken);
                if (!identified || failures > 0)
                {
                    DeviceLog.Identified(_logger, option.Type.ToString(), option.Host, device.Name, device.Mac.ToString());
                }

                identified = true;
                failures = 0;
                wait = Recheck;
            }
            catch (BackupException ex)
            {
                wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(failures, 10)));
                if (failures == 0)
                {
                    DeviceLog.IdentifyFailed(_logger, option.Type.ToString(), option.Host, ex.Failure.Reason, wait.TotalSeconds);
                }
                else
                {
                    DeviceLog.IdentifyFailedAgain(_logger, option.Type.ToString(), option.Host, ex.Failure.Reason);
                }

                failures++;
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // Identified, but the database refused it (busy, full, read-only): try again like any other failure.
                wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(failures, 10)));
                if (failures == 0)
                {
                    DeviceLog.IdentifyNotStored(_logger, option.Type.ToString(), option.Host, ex.Message, wait.TotalSeconds);
                }
                else
                {
                    DeviceLog.IdentifyFailedAgain(_logger, option.Type.ToString(), option.Host, ex.Message);
                }

                failures++;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.WhenAny(Task.Delay(wait, _time, stoppingToken), refresh);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
