using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Hosting;

/// <summary>
/// Touches a file while the broker connection is up, for the image's HEALTHCHECK (the Supervisor's watchdog restarts
/// an unhealthy add-on). Off unless <c>TASMO_GUARDIAN_HEALTH_FILE</c> names the file. A file that cannot be written
/// is logged once and tried again every interval: the health check says so meanwhile, and backups go on.
/// </summary>
internal sealed class HealthFileService : BackgroundService
{
    public const string Variable = "TASMO_GUARDIAN_HEALTH_FILE";
    // Until the first connection, look often: the health check should turn healthy soon after start.
    private static readonly TimeSpan WhileConnecting = TimeSpan.FromSeconds(1);

    private readonly ManagedMqttClient _mqtt;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthFileService> _logger;
    private readonly string? _path;
    private readonly TimeSpan _interval;

    public HealthFileService(ManagedMqttClient mqtt, HealthFileSettings settings, TimeProvider time, ILogger<HealthFileService> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _mqtt = mqtt;
        _time = time;
        _logger = logger;
        _path = settings.Path;
        _interval = settings.Interval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(_path))
        {
            return;
        }

        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_mqtt.IsConnected)
                {
                    try
                    {
                        await File.WriteAllTextAsync(_path, _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), stoppingToken);
                        if (failing)
                        {
                            HostLog.HealthFileWritten(_logger, _path);
                            failing = false;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        if (!failing)
                        {
                            HostLog.HealthFileFailed(_logger, _path, ex.Message);
                            failing = true;
                        }
                    }
                }

                await Task.Delay(_mqtt.IsConnected ? _interval : WhileConnecting, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
