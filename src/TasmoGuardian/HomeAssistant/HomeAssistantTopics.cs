using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;

namespace TasmoGuardian.HomeAssistant;

/// <summary>Every topic this program publishes or listens to for Home Assistant (contract.md, "MQTT", "Home Assistant discovery").</summary>
internal sealed class HomeAssistantTopics
{
    public const string HubId = "tasmo_guardian";
    public const string PressPayload = "PRESS";

    public HomeAssistantTopics(GuardianOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Prefix = options.DiscoveryPrefix;
        Base = options.BaseTopic;
    }

    public string Prefix { get; }

    public string Base { get; }

    public string Status => $"{Base}/status";

    public string HomeAssistantStatus => $"{Prefix}/status";

    public string DeviceConfigFilter => $"{Prefix}/device/+/config";

    public string HubConfig => $"{Prefix}/device/{HubId}/config";

    public string HubState => $"{Base}/hub/state";

    public string HubAttributes => $"{Base}/hub/attributes";

    /// <summary>The last backup-all's attributes (<c>changed_devices</c>), on the hub's last_run sensor.</summary>
    public string HubRunAttributes => $"{Base}/hub/run_attributes";

    public string Event => $"{Base}/event";

    public string BackupAllCommand => $"{Base}/hub/backup_all";

    public string RefreshCommand => $"{Base}/hub/refresh";

    public string DeviceBackupFilter => $"{Base}/device/+/backup";

    public string DeviceIncludeFilter => $"{Base}/device/+/include/set";

    public string Command => $"{Base}/cmnd/backup";

    public string RestoreCommand => $"{Base}/cmnd/restore";

    /// <summary>Payload "forget": the rows of backup files that are missing go (the files were deleted on purpose).</summary>
    public string ForgetMissingCommand => $"{Base}/cmnd/forget_missing";

    public string DeviceRestoreFilter => $"{Base}/device/+/restore";

    public string DeviceRestoreSourceFilter => $"{Base}/device/+/restore_source/set";

    public static string DeviceId(Mac mac) => $"{HubId}_{mac.ToLowerString()}";

    public string DeviceConfig(Mac mac) => $"{Prefix}/device/{DeviceId(mac)}/config";

    public string DeviceBackupCommand(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/backup";

    public string DeviceIncludeCommand(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/include/set";

    public string DeviceRestoreCommand(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/restore";

    public string DeviceRestoreSourceCommand(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/restore_source/set";

    public string DeviceState(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/state";

    public string DeviceRestoreAttributes(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/restore_attributes";

    public string DeviceAttributes(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/attributes";

    /// <summary>What changed in the newest backup, on the device's last_backup sensor.</summary>
    public string DeviceBackupAttributes(Mac mac) => $"{Base}/device/{mac.ToLowerString()}/backup_attributes";

    /// <summary>The MAC in <c>{base}/device/{mac}/backup</c>, or null for any other topic.</summary>
    public Mac? MacFromDeviceBackup(string topic) => MacFromDeviceCommand(topic, "/backup");

    /// <summary>The MAC in <c>{base}/device/{mac}/include/set</c>, or null for any other topic.</summary>
    public Mac? MacFromDeviceInclude(string topic) => MacFromDeviceCommand(topic, "/include/set");

    /// <summary>The MAC in <c>{base}/device/{mac}/restore</c>, or null for any other topic.</summary>
    public Mac? MacFromDeviceRestore(string topic) => MacFromDeviceCommand(topic, "/restore");

    /// <summary>The MAC in <c>{base}/device/{mac}/restore_source/set</c>, or null for any other topic.</summary>
    public Mac? MacFromDeviceRestoreSource(string topic) => MacFromDeviceCommand(topic, "/restore_source/set");

    private Mac? MacFromDeviceCommand(string topic, string suffix)
    {
        var prefix = $"{Base}/device/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal) || !topic.EndsWith(suffix, StringComparison.Ordinal) || topic.Length <= prefix.Length + suffix.Length)
        {
            return null;
        }

        var middle = topic[prefix.Length..^suffix.Length];
        return Mac.TryParse(middle, out var mac) ? mac : null;
    }

    /// <summary>The object id in <c>{prefix}/device/{id}/config</c>, or null.</summary>
    public string? DiscoveryObjectId(string topic)
    {
        var prefix = $"{Prefix}/device/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal) || !topic.EndsWith("/config", StringComparison.Ordinal))
        {
            return null;
        }

        var id = topic[prefix.Length..^"/config".Length];
        return id.Contains('/', StringComparison.Ordinal) ? null : id;
    }
}
