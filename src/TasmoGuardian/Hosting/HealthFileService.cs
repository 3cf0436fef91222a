using Microsoft.Extensions.Hosting;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Hosting;

/// <summary>
/// Touches a file while the broker connection is up, for the image's HEALTHCHECK (the Supervisor's watchdog restarts
/// an unhealthy add-on). Off unless <c>TASMO_GUARDIAN_HEALTH_FILE</c> names the file.
/// </summary>
internal sealed class HealthFileService : BackgroundService
{
    public const string Variable = "TASMO_GUARDIAN_HEALTH_FILE";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ManagedMqttClient _mqtt;
    private readonly TimeProvider _time;
    private readonly string? _path;

    public HealthFileService(ManagedMqttClient mqtt, TimeProvider time)
    {
        _mqtt = mqtt;
        _time = time;
        _path = Environment.GetEnvironmentVariable(Variable);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(_path))
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_mqtt.IsConnected)
                {
                    await File.WriteAllTextAsync(_path, _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), stoppingToken);
                }

                await Task.Delay(Interval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // A missing /tmp is no reason to stop backing up; the health check will say so instead.
        }
    }
}
