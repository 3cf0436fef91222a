using TasmoGuardian.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds;

/// <summary>
/// Identifies the devices given by host in the <c>devices</c> option, each through its kind. A device that does not
/// answer is retried with back-off, never holding up start-up, and is listed once it answers. The refresh button
/// asks again at once.
/// </summary>
internal sealed class DeviceIdentifier : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(5);

    // Identified devices are asked again now and then, to follow IP and firmware changes.
    private static readonly TimeSpan Recheck = TimeSpan.FromHours(6);

    private readonly GuardianOptions _options;
    private readonly DeviceRegistry _registry;
    private readonly KindCatalog _kinds;
    private readonly DeviceCredentials _credentials;
    private readonly HubProblems _problems;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceIdentifier> _logger;
    private TaskCompletionSource _refreshed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DeviceIdentifier(GuardianOptions options, DeviceRegistry registry, KindCatalog kinds, DeviceCredentials credentials, HubProblems problems, InventoryRefresh refresh, TimeProvider time, ILogger<DeviceIdentifier> logger)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        _options = options;
        _registry = registry;
        _kinds = kinds;
        _credentials = credentials;
        _problems = problems;
        _time = time;
        _logger = logger;
        refresh.Requested += (_, _) => Interlocked.Exchange(ref _refreshed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Asks one configured device who it is; the option's name and host win over what the device says.</summary>
    /// <exception cref="DeviceException">The device did not answer, or not as its kind does.</exception>
    public async Task<DeviceObservation> IdentifyAsync(DeviceOption option, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(option);
        var observation = await _kinds.For(option.Type).IdentifyAsync(_credentials.For(option), cancellationToken);
        return observation with
        {
            // The address the device reports, else the one it was reached at when that is an IP address.
            Ip = observation.Ip ?? HostAddress.IpOf(option.Host),
            ConfiguredHost = option.Host,
            Name = option.Name ?? observation.Name,
            NameSource = option.Name is null ? observation.NameSource : NameSource.Option,
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_options.Devices.Select(option => WatchAsync(option, stoppingToken)));

    private static TimeSpan Backoff(int failures) => TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(failures, 10)));

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
                var device = await _registry.ApplyAsync(await IdentifyAsync(option, stoppingToken), stoppingToken);
                if (!identified || failures > 0)
                {
                    DeviceLog.Identified(_logger, device.Type.ToString(), option.Host, device.Name, device.Mac.ToString());
                }

                identified = true;
                failures = 0;
                wait = Recheck;
                _problems.Clear(HubProblemKind.Unidentified, option.Host);
            }
            catch (DeviceException ex)
            {
                // A device never identified is shown on the hub with its host and reason, so the user sees it without
                // reading the log. One identified before is listed already, and its backups tell if it stays away.
                if (!_registry.Snapshot().Any(d => string.Equals(d.ConfiguredHost, option.Host, StringComparison.OrdinalIgnoreCase)))
                {
                    _problems.Set(new HubProblem(HubProblemKind.Unidentified, option.Host, ex.Failure.Reason, Type: _kinds.For(option.Type).OptionName));
                }

                wait = Backoff(failures);
                if (failures++ == 0)
                {
                    DeviceLog.IdentifyFailed(_logger, option.Type.ToString(), option.Host, ex.Failure.Reason, wait.TotalSeconds);
                }
                else
                {
                    DeviceLog.IdentifyFailedAgain(_logger, option.Type.ToString(), option.Host, ex.Failure.Reason);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                // Identified, but the database refused it (busy, full, read-only): try again like any other failure.
                wait = Backoff(failures);
                if (failures++ == 0)
                {
                    DeviceLog.IdentifyNotStored(_logger, option.Type.ToString(), option.Host, ex.Message, wait.TotalSeconds);
                }
                else
                {
                    DeviceLog.IdentifyFailedAgain(_logger, option.Type.ToString(), option.Host, ex.Message);
                }
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
