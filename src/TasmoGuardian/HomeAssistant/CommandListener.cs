using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups;
using TasmoGuardian.Devices;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Turns button presses and <c>{base}/cmnd/backup</c> into requests for the worker (contract.md, "MQTT"). Anything
/// else is logged and ignored; retained commands are ignored, or a stale one would fire at every start.
/// </summary>
internal sealed class CommandListener : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly HomeAssistantTopics _topics;
    private readonly DeviceRegistry _registry;
    private readonly BackupWorker _worker;
    private readonly InventoryRefresh _refresh;
    private readonly ILogger<CommandListener> _logger;
    private readonly OncePerKey _reported = new();

    public CommandListener(ManagedMqttClient mqtt, HomeAssistantTopics topics, DeviceRegistry registry, BackupWorker worker, InventoryRefresh refresh, ILogger<CommandListener> logger)
    {
        _mqtt = mqtt;
        _topics = topics;
        _registry = registry;
        _worker = worker;
        _refresh = refresh;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _mqtt.SubscribeAsync(_topics.BackupAllCommand, MqttQualityOfService.AtLeastOnce, OnBackupAll, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.RefreshCommand, MqttQualityOfService.AtLeastOnce, OnRefresh, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceBackupFilter, MqttQualityOfService.AtLeastOnce, OnDeviceBackup, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceIncludeFilter, MqttQualityOfService.AtLeastOnce, OnDeviceIncludeAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.Command, MqttQualityOfService.AtLeastOnce, OnCommand, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ValueTask OnBackupAll(MqttMessage message, CancellationToken cancellationToken)
    {
        if (IsPress(message))
        {
            HomeAssistantLog.Command(_logger, message.Topic, "backup all devices");
            _worker.Request(BackupRequest.All(BackupTrigger.Button));
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnRefresh(MqttMessage message, CancellationToken cancellationToken)
    {
        if (IsPress(message))
        {
            HomeAssistantLog.Command(_logger, message.Topic, "ask every device to report");
            _refresh.Request();
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnDeviceBackup(MqttMessage message, CancellationToken cancellationToken)
    {
        if (!IsPress(message))
        {
            return ValueTask.CompletedTask;
        }

        if (_topics.MacFromDeviceBackup(message.Topic) is { } mac && _registry.Find(mac) is { } device)
        {
            HomeAssistantLog.Command(_logger, message.Topic, $"back up {device.Name}");
            _worker.Request(BackupRequest.One(mac, BackupTrigger.Button));
        }
        else
        {
            Ignore(message.Topic, "no known device has this button");
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask OnDeviceIncludeAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            Ignore(message.Topic, "retained switch commands are ignored");
            return;
        }

        var text = message.PayloadAsString();
        if (text is not ("ON" or "OFF"))
        {
            Ignore(message.Topic, $"a switch expects ON or OFF, got '{Shorten(text)}'");
            return;
        }

        if (_topics.MacFromDeviceInclude(message.Topic) is not { } mac || _registry.Find(mac) is not { } device)
        {
            Ignore(message.Topic, "no known device has this switch");
            return;
        }

        HomeAssistantLog.Command(_logger, message.Topic, $"{(text == "ON" ? "include" : "leave out")} {device.Name} in backup all");
        await _registry.SetIncludeAsync(mac, text == "ON", cancellationToken);
    }

    private ValueTask OnCommand(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            Ignore(message.Topic, "retained commands are ignored; publish without the retain flag");
            return ValueTask.CompletedTask;
        }

        var text = message.PayloadAsString().Trim();
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            HomeAssistantLog.Command(_logger, message.Topic, "backup all devices");
            _worker.Request(BackupRequest.All(BackupTrigger.Command));
            return ValueTask.CompletedTask;
        }

        var device = Mac.TryParse(text, out var mac) ? _registry.Find(mac) : null;
        if (device is null && text.Length is > 0 and <= 200)
        {
            var byName = _registry.FindByName(text);
            if (byName.Count > 1)
            {
                Ignore(message.Topic, $"{byName.Count} devices are named '{text}'; use the MAC instead");
                return ValueTask.CompletedTask;
            }

            device = byName.Count == 1 ? byName[0] : null;
        }

        if (device is null)
        {
            Ignore(message.Topic, text.Length == 0 ? "empty payload; send all, a MAC or a device name" : $"'{Shorten(text)}' is not all, a known MAC or a device name");
            return ValueTask.CompletedTask;
        }

        HomeAssistantLog.Command(_logger, message.Topic, $"back up {device.Name}");
        _worker.Request(BackupRequest.One(device.Mac, BackupTrigger.Command));
        return ValueTask.CompletedTask;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private bool IsPress(MqttMessage message)
    {
        if (message.Retain)
        {
            Ignore(message.Topic, "retained button presses are ignored");
            return false;
        }

        var text = message.PayloadAsString();
        if (text == HomeAssistantTopics.PressPayload)
        {
            return true;
        }

        Ignore(message.Topic, $"a button expects {HomeAssistantTopics.PressPayload}, got '{Shorten(text)}'");
        return false;
    }

    private void Ignore(string topic, string problem) =>
        _reported.Report($"{topic}\n{problem}", () => HomeAssistantLog.CommandIgnored(_logger, topic, problem), () => HomeAssistantLog.CommandIgnoredAgain(_logger, topic, problem));
}
