using Microsoft.Extensions.Hosting;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// Finds openHASP plates by <c>hasp/discovery/&lt;hwid&gt;</c>, whose JSON carries <c>uri</c> "http://&lt;ip&gt;" (research
/// §4.7), behind <c>announce_discovery</c>, and asks each over HTTP who it is.
/// </summary>
internal sealed class OpenHaspDiscovery : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly OpenHaspKind _kind;
    private readonly AnnouncedHosts _hosts;
    private readonly GuardianOptions _options;

    public OpenHaspDiscovery(ManagedMqttClient mqtt, OpenHaspKind kind, AnnouncedHosts hosts, GuardianOptions options)
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
            await _mqtt.SubscribeAsync("hasp/discovery/+", MqttQualityOfService.AtMostOnce, OnDiscoveryAsync, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask OnDiscoveryAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        using var document = JsonRead.Object(message.Payload, out var problem);
        var uri = document is null ? null : JsonRead.String(document.RootElement, "uri");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp || DeviceText.CleanIp(address.Host) is not { } ip)
        {
            _hosts.Ignore(message.Topic, problem ?? "the discovery message has no \"uri\" of the form http://<ip>");
            return;
        }

        await _hosts.IdentifyAsync(_kind, ip, message.Topic, cancellationToken);
    }
}
