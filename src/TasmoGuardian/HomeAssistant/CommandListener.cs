using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Repair;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Kinds;
using TasmoGuardian.Mqtt;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Turns button presses, the restore_source select, <c>{base}/cmnd/backup</c> and <c>{base}/cmnd/restore</c> into
/// requests for the worker (contract.md, "MQTT"). Anything else is logged and ignored; retained commands are ignored,
/// or a stale one would fire at every start.
/// </summary>
internal sealed class CommandListener : IHostedService
{
    private readonly ManagedMqttClient _mqtt;
    private readonly HomeAssistantTopics _topics;
    private readonly DeviceRegistry _registry;
    private readonly BackupWorker _worker;
    private readonly InventoryRefresh _refresh;
    private readonly KindCatalog _kinds;
    private readonly BackupChoices _choices;
    private readonly RestoreSelection _selection;
    private readonly HomeAssistantPublisher _publisher;
    private readonly BackupReconciler _reconciler;
    private readonly ILogger<CommandListener> _logger;
    private readonly OncePerKey _reported = new();

    public CommandListener(
        ManagedMqttClient mqtt,
        HomeAssistantTopics topics,
        DeviceRegistry registry,
        BackupWorker worker,
        InventoryRefresh refresh,
        KindCatalog kinds,
        BackupChoices choices,
        RestoreSelection selection,
        HomeAssistantPublisher publisher,
        BackupReconciler reconciler,
        ILogger<CommandListener> logger)
    {
        _mqtt = mqtt;
        _topics = topics;
        _registry = registry;
        _worker = worker;
        _refresh = refresh;
        _kinds = kinds;
        _choices = choices;
        _selection = selection;
        _publisher = publisher;
        _reconciler = reconciler;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _mqtt.SubscribeAsync(_topics.BackupAllCommand, MqttQualityOfService.AtLeastOnce, OnBackupAll, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.RefreshCommand, MqttQualityOfService.AtLeastOnce, OnRefresh, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceBackupFilter, MqttQualityOfService.AtLeastOnce, OnDeviceBackup, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceIncludeFilter, MqttQualityOfService.AtLeastOnce, OnDeviceIncludeAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.Command, MqttQualityOfService.AtLeastOnce, OnCommand, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceRestoreFilter, MqttQualityOfService.AtLeastOnce, OnDeviceRestoreAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.DeviceRestoreSourceFilter, MqttQualityOfService.AtLeastOnce, OnRestoreSourceAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.RestoreCommand, MqttQualityOfService.AtLeastOnce, OnRestoreCommandAsync, cancellationToken);
        await _mqtt.SubscribeAsync(_topics.ForgetMissingCommand, MqttQualityOfService.AtLeastOnce, OnForgetMissingAsync, cancellationToken);
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

    /// <summary>The user deleted backup files on purpose: their rows go. Only the exact word, never retained.</summary>
    private async ValueTask OnForgetMissingAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain || !string.Equals(message.PayloadAsString().Trim(), "forget", StringComparison.OrdinalIgnoreCase))
        {
            Ignore(message.Topic, "publish the word forget, not retained, to forget the backups whose files are missing");
            return;
        }

        HomeAssistantLog.Command(_logger, message.Topic, "forget the backups whose files are missing");
        await _reconciler.ForgetMissingAsync(_registry, cancellationToken);
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
            Ignore(message.Topic, $"a switch expects ON or OFF, got '{DeviceText.Shorten(text)}'");
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
            Ignore(message.Topic, text.Length == 0 ? "empty payload; send all, a MAC or a device name" : $"'{DeviceText.Shorten(text)}' is not all, a known MAC or a device name");
            return ValueTask.CompletedTask;
        }

        HomeAssistantLog.Command(_logger, message.Topic, $"back up {device.Name}");
        _worker.Request(BackupRequest.One(device.Mac, BackupTrigger.Command));
        return ValueTask.CompletedTask;
    }


    private async ValueTask OnDeviceRestoreAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (!IsPress(message))
        {
            return;
        }

        if (_topics.MacFromDeviceRestore(message.Topic) is not { } mac || _registry.Find(mac) is not { } device)
        {
            Ignore(message.Topic, "no known device has this button");
        }
        else if (_kinds.For(device.Type).Restore is null)
        {
            Ignore(message.Topic, $"{device.Name} is a {_kinds.For(device.Type).DisplayName} device, which cannot be restored");
        }
        else
        {
            // "The newest" is the newest when the button is pressed, not when the queue reaches the restore.
            var file = _selection.For(mac) ?? await _choices.NewestAsync(device, cancellationToken);
            HomeAssistantLog.Command(_logger, message.Topic, $"restore {file ?? "the newest backup"} onto {device.Name}");
            _worker.Request(BackupRequest.ForRestore(new RestoreRequest(mac, file, null, Force: false, BackupTrigger.Button)));
        }
    }

    private async ValueTask OnRestoreSourceAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            Ignore(message.Topic, "retained select commands are ignored");
            return;
        }

        if (_topics.MacFromDeviceRestoreSource(message.Topic) is not { } mac || _registry.Find(mac) is not { } device)
        {
            Ignore(message.Topic, "no known device has this select");
            return;
        }

        var label = message.PayloadAsString().Trim();
        var choice = (await _choices.ForAsync(device, cancellationToken)).FirstOrDefault(c => c.Label == label);
        if (choice is null)
        {
            Ignore(message.Topic, $"'{DeviceText.Shorten(label)}' is not one of the kept backups of {device.Name}");
        }
        else
        {
            HomeAssistantLog.Command(_logger, message.Topic, $"select {choice.FileName} to restore onto {device.Name}");
            _selection.Select(mac, choice.FileName);
        }

        // Also after a refusal: the select shows what is really selected again.
        _publisher.SelectionChanged(mac);
    }

    private async ValueTask OnRestoreCommandAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            Ignore(message.Topic, "retained commands are ignored; publish without the retain flag");
            return;
        }

        if (ParseRestore(message.PayloadAsString(), out var problem) is { } request)
        {
            // "latest" names the newest backup when the command arrives (see BackupChoices.NewestAsync).
            if (request.BackupFile is null && _registry.Find(request.Source) is { } source)
            {
                request = request with { BackupFile = await _choices.NewestAsync(source, cancellationToken) };
            }

            var target = request.Target is { } t && t != request.Source ? $" onto the replacement {t}" : string.Empty;
            HomeAssistantLog.Command(_logger, message.Topic, $"restore {request.BackupFile ?? "the newest backup"} of {request.Source}{target}{(request.Force ? " (forced)" : string.Empty)}");
            _worker.Request(BackupRequest.ForRestore(request));
        }
        else
        {
            Ignore(message.Topic, problem ?? "not a restore command");
        }
    }

    /// <summary>{"device": MAC or name, "backup": file name or "latest", "target": MAC, name or host, "force": bool}.</summary>
    private RestoreRequest? ParseRestore(string text, out string? problem)
    {
        using var document = JsonRead.Object(System.Text.Encoding.UTF8.GetBytes(text), out problem);
        if (document is null)
        {
            problem = $"a restore command is a JSON object such as {{\"device\": \"A1B2C3D4E5F6\", \"backup\": \"latest\"}} ({problem})";
            return null;
        }

        var root = document.RootElement;
        var deviceText = JsonRead.String(root, "device");
        if (string.IsNullOrWhiteSpace(deviceText))
        {
            problem = "the restore command names no \"device\"";
            return null;
        }

        if (Resolve(deviceText, byHost: false, out problem) is not { } source)
        {
            return null;
        }

        var target = source;
        if (JsonRead.String(root, "target") is { } targetText && !string.IsNullOrWhiteSpace(targetText))
        {
            if (Resolve(targetText, byHost: true, out problem) is not { } resolved)
            {
                return null;
            }

            target = resolved;
        }

        var backup = JsonRead.String(root, "backup");
        if (backup is not null && backup.Trim().Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            backup = null;
        }

        var force = root.TryGetProperty("force", out var f) && f.ValueKind == System.Text.Json.JsonValueKind.True;
        return new RestoreRequest(source.Mac, string.IsNullOrWhiteSpace(backup) ? null : backup.Trim(), target.Mac == source.Mac ? null : target.Mac, force, BackupTrigger.Command);
    }

    private Device? Resolve(string text, bool byHost, out string? problem)
    {
        problem = null;
        text = text.Trim();
        if (Mac.TryParse(text, out var mac) && _registry.Find(mac) is { } byMac)
        {
            return byMac;
        }

        var byName = _registry.FindByName(text);
        if (byName.Count == 1)
        {
            return byName[0];
        }

        if (byName.Count > 1)
        {
            problem = $"{byName.Count} devices are named '{DeviceText.Shorten(text)}'; use the MAC instead";
            return null;
        }

        if (byHost && _registry.Snapshot().Where(d => string.Equals(d.Address, text, StringComparison.OrdinalIgnoreCase) || string.Equals(d.Ip, text, StringComparison.OrdinalIgnoreCase)).ToList() is [var single])
        {
            return single;
        }

        problem = $"'{DeviceText.Shorten(text)}' is not a known MAC, device name{(byHost ? " or host" : string.Empty)}";
        return null;
    }

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

        Ignore(message.Topic, $"a button expects {HomeAssistantTopics.PressPayload}, got '{DeviceText.Shorten(text)}'");
        return false;
    }

    private void Ignore(string topic, string problem) =>
        _reported.Report($"{topic}\n{problem}", () => HomeAssistantLog.CommandIgnored(_logger, topic, problem), () => HomeAssistantLog.CommandIgnoredAgain(_logger, topic, problem));
}
