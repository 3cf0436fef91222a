using Microsoft.Extensions.Hosting;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.Kinds.AiOnTheEdge;

/// <summary>
/// Learns AI-on-the-Edge devices' MACs from their retained <c>&lt;main&gt;/MAC</c> and <c>&lt;main&gt;/IP</c> (research
/// §4.5): the MAC is told nowhere else, so this runs whenever a device of this kind is configured, and with
/// <c>announce_discovery</c> it also asks each announced address over HTTP whether it is one.
/// </summary>
internal sealed class AiOnTheEdgeDiscovery : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly AiOnTheEdgeKind _kind;
    private readonly AiOnTheEdgeMacs _macs;
    private readonly AnnouncedHosts _hosts;
    private readonly GuardianOptions _options;

    public AiOnTheEdgeDiscovery(ManagedMqttClient mqtt, AiOnTheEdgeKind kind, AiOnTheEdgeMacs macs, AnnouncedHosts hosts, GuardianOptions options)
    {
        _mqtt = mqtt;
        _kind = kind;
        _macs = macs;
        _hosts = hosts;
        _options = options;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.AnnounceDiscovery || _options.Devices.Any(d => d.Type == DeviceType.AiOnTheEdge))
        {
            await _mqtt.SubscribeAsync("+/MAC", MqttQualityOfService.AtMostOnce, OnMacAsync, cancellationToken);
            await _mqtt.SubscribeAsync("+/IP", MqttQualityOfService.AtMostOnce, OnIpAsync, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string MainTopic(string topic) => topic[..topic.LastIndexOf('/')];

    private ValueTask OnMacAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (Mac.TryParse(message.PayloadAsString().Trim(), out var mac))
        {
            Learned(message.Topic, _macs.Learn(MainTopic(message.Topic), mac, null));
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnIpAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (DeviceText.CleanIp(message.PayloadAsString().Trim()) is { } ip)
        {
            Learned(message.Topic, _macs.Learn(MainTopic(message.Topic), null, ip));
        }

        return ValueTask.CompletedTask;
    }

    private void Learned(string topic, (Mac Mac, string Ip)? known)
    {
        if (known is { } device && _options.AnnounceDiscovery)
        {
            _hosts.Identify(_kind, device.Ip, topic);
        }
    }
}
