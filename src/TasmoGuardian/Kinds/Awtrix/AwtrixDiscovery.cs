using Microsoft.Extensions.Hosting;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.Awtrix;

/// <summary>
/// Finds Awtrix 3 clocks by the stats they publish on <c>&lt;prefix&gt;/stats</c> (research §4.6), behind
/// <c>announce_discovery</c>. The stats are the same object as <c>/api/stats</c>, so they identify the clock without
/// asking it; a message on a <c>…/stats</c> topic that lacks "uid" and "ip_address" is someone else's and is skipped
/// without a word.
/// </summary>
internal sealed class AwtrixDiscovery : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly AnnouncedHosts _hosts;
    private readonly GuardianOptions _options;

    public AwtrixDiscovery(ManagedMqttClient mqtt, AnnouncedHosts hosts, GuardianOptions options)
    {
        _mqtt = mqtt;
        _hosts = hosts;
        _options = options;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.AnnounceDiscovery)
        {
            await _mqtt.SubscribeAsync("+/stats", MqttQualityOfService.AtMostOnce, OnStatsAsync, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask OnStatsAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        using (var document = JsonRead.Object(message.Payload, out _))
        {
            if (document is null || JsonRead.String(document.RootElement, "uid") is null || JsonRead.String(document.RootElement, "ip_address") is null)
            {
                return;
            }
        }

        try
        {
            await _hosts.ApplyAsync(AwtrixKind.Parse(message.Payload.ToArray()), message.Topic, cancellationToken);
        }
        catch (DeviceException ex)
        {
            _hosts.Ignore(message.Topic, ex.Failure.Reason);
        }
    }
}
