using Microsoft.Extensions.Hosting;
using TasmoGuardian.Configuration;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds;

/// <summary>
/// Finds devices of the kinds that publish their address (OpenDTU's <c>&lt;prefix&gt;/dtu/ip</c>, openHASP's
/// <c>hasp/discovery/&lt;hwid&gt;</c>), behind <c>announce_discovery</c>, and has each announced address asked over HTTP
/// who it is (<see cref="AnnouncedHosts"/>).
/// </summary>
internal sealed class AddressAnnouncements : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly AnnouncedHosts _hosts;
    private readonly GuardianOptions _options;
    private readonly IReadOnlyList<AddressAnnouncement> _announcements;

    public AddressAnnouncements(ManagedMqttClient mqtt, AnnouncedHosts hosts, GuardianOptions options, IEnumerable<AddressAnnouncement> announcements)
    {
        _mqtt = mqtt;
        _hosts = hosts;
        _options = options;
        _announcements = [.. announcements];
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.AnnounceDiscovery)
        {
            return;
        }

        foreach (var announcement in _announcements)
        {
            await _mqtt.SubscribeAsync(announcement.Filter, MqttQualityOfService.AtMostOnce, (message, _) => OnAnnouncedAsync(announcement, message), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ValueTask OnAnnouncedAsync(AddressAnnouncement announcement, MqttMessage message)
    {
        if (announcement.ReadIp(message) is { } ip)
        {
            _hosts.Identify(announcement.Kind, ip, message.Topic);
        }
        else
        {
            _hosts.Ignore(message.Topic, announcement.Unreadable);
        }

        return ValueTask.CompletedTask;
    }
}
