using Microsoft.Extensions.Hosting;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// Finds OpenDTU devices with MQTT on by their retained <c>&lt;prefix&gt;/dtu/ip</c> (default prefix "solar/";
/// research §4.3), behind <c>announce_discovery</c>, and asks each over HTTP who it is.
/// </summary>
internal sealed class OpenDtuDiscovery : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly OpenDtuKind _kind;
    private readonly AnnouncedHosts _hosts;
    private readonly GuardianOptions _options;

    public OpenDtuDiscovery(ManagedMqttClient mqtt, OpenDtuKind kind, AnnouncedHosts hosts, GuardianOptions options)
    {
        _mqtt = mqtt;
        _kind = kind;
        _hosts = hosts;
        _options = options;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.AnnounceDiscovery)
        {
            await _mqtt.SubscribeAsync("+/dtu/ip", MqttQualityOfService.AtMostOnce, OnIpAsync, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask OnIpAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (DeviceText.CleanIp(message.PayloadAsString().Trim()) is not { } ip)
        {
            _hosts.Ignore(message.Topic, "the payload is not an IP address");
            return;
        }

        await _hosts.IdentifyAsync(_kind, ip, message.Topic, cancellationToken);
    }
}
