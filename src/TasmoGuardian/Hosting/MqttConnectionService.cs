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
    private readonly BrokerSource _broker;
    private readonly ILogger<MqttConnectionService> _logger;

    public MqttConnectionService(ManagedMqttClient mqtt, HomeAssistantTopics topics, BrokerSource broker, ILogger<MqttConnectionService> logger)
    {
        _mqtt = mqtt;
        _topics = topics;
        _broker = broker;
        _logger = logger;
    }

    /// <summary>
    /// The client asks for its options before every attempt: fixed settings come back as they are; settings from the
    /// Supervisor are asked for again after any failed attempt (a refused login above all), so a Mosquitto add-on that
    /// starts later or hands out new credentials is followed without a restart.
    /// </summary>
    public static ManagedMqttClientOptions CreateOptions(BrokerSource broker, HomeAssistantTopics topics)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(topics);

        // Unique per process so two copies never throw each other off the broker; within MQTT 3.1.1's 23 characters.
        var clientId = $"tasmoguardian-{Random.Shared.Next():x8}";
        return new ManagedMqttClientOptions
        {
            ClientFactory = async (attempt, cancellationToken) => Client(await broker.GetAsync(askAgain: attempt.FailedAttempts > 0, cancellationToken), clientId, topics),
            BirthMessage = MqttMessage.FromString(topics.Status, Online, MqttQualityOfService.AtLeastOnce, retain: true),
        };
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_broker.Current is { } settings)
        {
            HostLog.UsingBroker(_logger, settings.ToString());
        }

        _broker.Changed += (_, changed) => HostLog.UsingBroker(_logger, changed.ToString());
        await _mqtt.StartAsync(cancellationToken);
    }

    private static MqttClientOptions Client(MqttSettings settings, string clientId, HomeAssistantTopics topics) => new()
    {
        Host = settings.Host,
        Port = settings.Port,
        ClientId = clientId,
        Username = string.IsNullOrEmpty(settings.Username) ? null : settings.Username,
        Password = string.IsNullOrEmpty(settings.Username) || string.IsNullOrEmpty(settings.Password) ? null : settings.Password,
        KeepAlive = TimeSpan.FromSeconds(30),
        Will = MqttMessage.FromString(topics.Status, Offline, MqttQualityOfService.AtLeastOnce, retain: true),
        Tls = settings.Tls ? new MqttTlsOptions() : null,
    };

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
