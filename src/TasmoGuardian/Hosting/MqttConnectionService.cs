using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Hosting;

/// <summary>
/// Owns the broker connection's life: it starts connecting once every listener has subscribed, and on a graceful stop
/// (SIGTERM) publishes <c>offline</c> before disconnecting, so Home Assistant shows the entities unavailable at once.
/// That happens last of all (<see cref="StoppedAsync"/>): after the worker has finished the backup in flight and the
/// publisher has sent its event.
/// </summary>
internal sealed class MqttConnectionService : IHostedLifecycleService
{
    public const string Online = "online";
    public const string Offline = "offline";

    private readonly ManagedMqttClient _mqtt;
    private readonly HomeAssistantTopics _topics;
    private readonly MqttSettings _settings;
    private readonly ILogger<MqttConnectionService> _logger;

    public MqttConnectionService(ManagedMqttClient mqtt, HomeAssistantTopics topics, MqttSettings settings, ILogger<MqttConnectionService> logger)
    {
        _mqtt = mqtt;
        _topics = topics;
        _settings = settings;
        _logger = logger;
    }

    public static ManagedMqttClientOptions CreateOptions(MqttSettings settings, HomeAssistantTopics topics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(topics);
        return new ManagedMqttClientOptions
        {
            Client = new MqttClientOptions
            {
                Host = settings.Host,
                Port = settings.Port,

                // Unique per process so two copies never throw each other off the broker; within MQTT 3.1.1's 23 characters.
                ClientId = $"tasmoguardian-{Random.Shared.Next():x8}",
                Username = string.IsNullOrEmpty(settings.Username) ? null : settings.Username,
                Password = string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password) ? null : settings.Password,
                KeepAlive = TimeSpan.FromSeconds(30),
                Will = MqttMessage.FromString(topics.Status, Offline, MqttQualityOfService.AtLeastOnce, retain: true),
                Tls = settings.Tls ? new MqttTlsOptions() : null,
            },
            BirthMessage = MqttMessage.FromString(topics.Status, Online, MqttQualityOfService.AtLeastOnce, retain: true),
        };
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        HostLog.UsingBroker(_logger, _settings.ToString());
        await _mqtt.StartAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var published = false;
        if (_mqtt.IsConnected)
        {
            try
            {
                await _mqtt.PublishAsync(MqttMessage.FromString(_topics.Status, Offline, MqttQualityOfService.AtLeastOnce, retain: true), cancellationToken)
                    .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                published = true;
            }
            catch (Exception ex) when (ex is TimeoutException or MqttException or OperationCanceledException)
            {
                // The broker is going away too; the will says offline for us.
            }
        }

        await _mqtt.StopAsync(cancellationToken);
        if (published)
        {
            HostLog.Stopped(_logger);
        }
        else
        {
            HostLog.StoppedOffline(_logger);
        }
    }
}
