using System.Globalization;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;

namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Pure functions from what the program knows to what Home Assistant reads: discovery configs, states, attributes and
/// events. The table in contract.md ("Home Assistant discovery") is the specification; the tests check every rule.
/// </summary>
internal static class DiscoveryPayloads
{
    public static readonly IReadOnlyList<string> EventTypes = ["backup_succeeded", "backup_failed", "backup_all_finished", "restore_succeeded", "restore_failed"];
    public static readonly IReadOnlyList<string> ResultOptions = ["success", "failed", "never"];
    public static readonly IReadOnlyList<string> RestoreOptions = ["success", "failed", "never", "running"];

    public static DiscoveryPayload Hub(HomeAssistantTopics topics, string version, string? configurationUrl = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var state = topics.HubState;
        return new DiscoveryPayload
        {
            Device = new DiscoveryDevice
            {
                Identifiers = [HomeAssistantTopics.HubId],
                Name = GuardianInfo.Name,
                Manufacturer = GuardianInfo.Name,
                Model = "Backup hub",
                SwVersion = version,
                ConfigurationUrl = configurationUrl ?? GuardianInfo.ProjectUrl,
            },
            Origin = Origin(version),
            Availability = Availability(topics),
            Components = new Dictionary<string, DiscoveryComponent>
            {
                ["backup_all"] = Component("button", "backup_all", "Backup all", "mdi:content-save-all") with { CommandTopic = topics.BackupAllCommand },
                ["refresh"] = Component("button", "refresh", "Refresh devices", "mdi:refresh") with { CommandTopic = topics.RefreshCommand },
                ["running"] = Component("binary_sensor", "running", "Backup running", null) with
                {
                    DeviceClass = "running",
                    StateTopic = state,
                    ValueTemplate = "{{ 'ON' if value_json.running else 'OFF' }}",
                },
                ["progress"] = Component("sensor", "progress", "Progress", "mdi:progress-upload") with
                {
                    StateTopic = state,
                    ValueTemplate = Template("progress"),
                    UnitOfMeasurement = "%",
                    StateClass = "measurement",
                },
                ["last_run"] = Component("sensor", "last_run", "Last run", null) with
                {
                    DeviceClass = "timestamp",
                    StateTopic = state,
                    ValueTemplate = Template("last_run"),
                    JsonAttributesTopic = topics.HubRunAttributes,
                },
                ["backed_up"] = Component("sensor", "backed_up", "Backed up", "mdi:check-circle-outline") with { StateTopic = state, ValueTemplate = Template("backed_up"), StateClass = "measurement" },
                ["skipped"] = Component("sensor", "skipped", "Skipped", "mdi:debug-step-over") with { StateTopic = state, ValueTemplate = Template("skipped"), StateClass = "measurement" },
                ["failed"] = Component("sensor", "failed", "Failed", "mdi:alert-circle-outline") with { StateTopic = state, ValueTemplate = Template("failed"), StateClass = "measurement" },
                ["devices"] = Component("sensor", "devices", "Devices", "mdi:devices") with { StateTopic = state, ValueTemplate = Template("devices"), StateClass = "measurement" },
                ["event"] = Component("event", "event", "Backup event", "mdi:bell-ring-outline") with { StateTopic = topics.Event, EventTypes = EventTypes },
                ["problem"] = Component("binary_sensor", "problem", "Backup problem", null) with
                {
                    DeviceClass = "problem",
                    StateTopic = state,
                    ValueTemplate = "{{ 'ON' if value_json.problem else 'OFF' }}",
                    JsonAttributesTopic = topics.HubAttributes,
                },
            },
        };
    }

    /// <param name="manufacturer">The firmware, as the device's kind names itself.</param>
    /// <param name="restoreChoices">The backups the restore_source select offers; null when the kind cannot be restored, which leaves the restore entities out.</param>
    public static DiscoveryPayload Device(Device device, HomeAssistantTopics topics, string version, string manufacturer, IReadOnlyList<BackupChoice>? restoreChoices)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(topics);
        var mac = device.Mac;
        var id = HomeAssistantTopics.DeviceId(mac);
        var firmware = manufacturer;
        var components = DeviceComponents(device, topics);
        if (restoreChoices is not null)
        {
            AddRestoreComponents(components, device, topics, restoreChoices);
        }

        return new DiscoveryPayload
        {
            Device = new DiscoveryDevice
            {
                Identifiers = [id],
                Connections = [["mac", mac.ToColonString()]],
                Name = device.Name,
                Manufacturer = firmware,

                // Since Home Assistant 2026.8 the firmware's own integration shows the same device separately: ours says what it is.
                Model = $"Tasmo Guardian backup of {device.Model ?? firmware}",
                HwVersion = device.Platform,
                SwVersion = device.Version,
                ConfigurationUrl = device.Address is { } address ? $"http://{address}/" : null,
                ViaDevice = HomeAssistantTopics.HubId,
            },
            Origin = Origin(version),
            Availability = Availability(topics),
            Components = components,
        };
    }

    private static Dictionary<string, DiscoveryComponent> DeviceComponents(Device device, HomeAssistantTopics topics)
    {
        var mac = device.Mac;
        var state = topics.DeviceState(mac);
        return new Dictionary<string, DiscoveryComponent>
        {
            ["backup"] = Component("button", $"{mac.ToLowerString()}_backup", "Backup", "mdi:content-save") with { CommandTopic = topics.DeviceBackupCommand(mac) },
            ["last_backup"] = Component("sensor", $"{mac.ToLowerString()}_last_backup", "Last backup", null) with
            {
                DeviceClass = "timestamp",
                StateTopic = state,
                ValueTemplate = Template("last_backup"),
                JsonAttributesTopic = topics.DeviceBackupAttributes(mac),
            },
            ["backups"] = Component("sensor", $"{mac.ToLowerString()}_backups", "Backups", "mdi:archive-outline") with
            {
                StateTopic = state,
                ValueTemplate = Template("backups"),
                StateClass = "measurement",
            },
            ["last_result"] = Component("sensor", $"{mac.ToLowerString()}_last_result", "Last result", "mdi:shield-check-outline") with
            {
                DeviceClass = "enum",
                Options = ResultOptions,
                StateTopic = state,
                ValueTemplate = Template("last_result"),
                JsonAttributesTopic = topics.DeviceAttributes(mac),
            },
            ["version"] = Component("sensor", $"{mac.ToLowerString()}_version", "Firmware version", "mdi:chip") with
            {
                EntityCategory = "diagnostic",
                StateTopic = state,
                ValueTemplate = Template("version"),
            },
            ["backup_size"] = Component("sensor", $"{mac.ToLowerString()}_backup_size", "Backup size", null) with
            {
                DeviceClass = "data_size",
                UnitOfMeasurement = "B",
                StateClass = "measurement",
                EntityCategory = "diagnostic",
                StateTopic = state,
                ValueTemplate = Template("backup_size"),
            },
            ["problem"] = Component("binary_sensor", $"{mac.ToLowerString()}_problem", "Backup problem", null) with
            {
                DeviceClass = "problem",
                StateTopic = state,
                ValueTemplate = "{{ 'ON' if value_json.problem else 'OFF' }}",
                JsonAttributesTopic = topics.DeviceAttributes(mac),
            },
            ["include"] = Component("switch", $"{mac.ToLowerString()}_include", "Include in backup all", "mdi:playlist-check") with
            {
                EntityCategory = "config",
                CommandTopic = topics.DeviceIncludeCommand(mac),
                StateTopic = state,
                ValueTemplate = "{{ 'ON' if value_json.include else 'OFF' }}",
            },
        };
    }

    /// <summary>The select of kept backups, the Restore button (disabled by default: nobody restores by accident) and the last restore.</summary>
    private static void AddRestoreComponents(Dictionary<string, DiscoveryComponent> components, Device device, HomeAssistantTopics topics, IReadOnlyList<BackupChoice> choices)
    {
        var mac = device.Mac;
        var state = topics.DeviceState(mac);
        components["restore_source"] = Component("select", $"{mac.ToLowerString()}_restore_source", "Restore source", "mdi:file-restore-outline") with
        {
            EntityCategory = "config",
            CommandTopic = topics.DeviceRestoreSourceCommand(mac),
            StateTopic = state,
            ValueTemplate = Template("restore_source"),
            Options = choices.Count == 0 ? [BackupChoices.None] : [.. choices.Select(c => c.Label)],
        };
        components["restore"] = Component("button", $"{mac.ToLowerString()}_restore", "Restore", "mdi:backup-restore") with
        {
            EntityCategory = "config",
            EnabledByDefault = false,
            CommandTopic = topics.DeviceRestoreCommand(mac),
        };
        components["last_restore"] = Component("sensor", $"{mac.ToLowerString()}_last_restore", "Last restore", "mdi:history") with
        {
            DeviceClass = "enum",
            Options = RestoreOptions,
            EntityCategory = "diagnostic",
            StateTopic = state,
            ValueTemplate = Template("last_restore"),
            JsonAttributesTopic = topics.DeviceRestoreAttributes(mac),
        };
    }

    public static HubStatePayload HubState(HubStatus status, int devices, bool problem)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new HubStatePayload(status.Running, status.Progress, Timestamp(status.LastRun), status.BackedUp, status.Skipped, status.Failed, devices, problem);
    }

    /// <summary>
    /// The included devices (switched on, not deleted in Home Assistant) that have a backup problem, by name, and the
    /// problems that belong to no one device.
    /// </summary>
    public static HubAttributesPayload HubAttributes(IEnumerable<Device> devices, DateTimeOffset now, int staleDays, IReadOnlyList<HubProblem>? hubProblems = null)
    {
        hubProblems ??= [];
        return new(
            [.. devices
                .Where(d => d.Include && !d.HiddenInHomeAssistant && BackupProblem.Of(d, now, staleDays) is not null)
                .Select(d => d.Name)
                .Order(StringComparer.OrdinalIgnoreCase)],
            hubProblems.FirstOrDefault(p => p.Kind == HubProblemKind.Storage)?.Reason,
            [.. hubProblems.Where(p => p.Kind == HubProblemKind.Unidentified).Select(p => new UnidentifiedDevicePayload(p.Subject, p.Type, p.Reason))],
            [.. hubProblems.Where(p => p.Kind == HubProblemKind.Unsupported).Select(p => new UnsupportedDevicePayload(p.Name, p.Subject, p.Type, p.Reason))]);
    }

    /// <param name="restoreSource">The label the restore_source select shows (<see cref="RestoreSource"/>).</param>
    public static DeviceStatePayload DeviceState(Device device, DateTimeOffset now, int staleDays, string restoreSource = BackupChoices.None)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceStatePayload(Timestamp(device.LastBackup), device.NoOfBackups, Result(device.LastResult), device.Version, device.LastBackupSize,
            device.Include, BackupProblem.Of(device, now, staleDays) is not null, Restore(device.LastRestore.Result), restoreSource);
    }

    /// <summary>The select's state: the selected backup if it is still offered, else the newest, else "none".</summary>
    public static string RestoreSource(IReadOnlyList<BackupChoice> choices, string? selectedFile)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return choices.FirstOrDefault(c => c.FileName == selectedFile)?.Label ?? (choices.Count > 0 ? choices[0].Label : BackupChoices.None);
    }

    public static RestoreAttributesPayload RestoreAttributes(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var last = device.LastRestore;
        return new RestoreAttributesPayload(last.Reason, last.Backup, last.PreRestoreBackup, Timestamp(last.Finished));
    }

    public static RestoreEventPayload RestoreEvent(RestoreOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new RestoreEventPayload(
            outcome.Succeeded ? "restore_succeeded" : "restore_failed",
            outcome.Source.Name,
            outcome.Source.Mac.ToString(),
            outcome.BackupFile,
            outcome.Device.Mac.ToString(),
            outcome.Failure?.Reason,
            outcome.PreRestoreFile);
    }

    public static DeviceAttributesPayload DeviceAttributes(Device device, DateTimeOffset now, int staleDays)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceAttributesPayload(
            device.LastResult == BackupResultState.Failed ? device.LastReason : null,
            BackupProblem.Of(device, now, staleDays),
            Timestamp(device.LastAttempt),
            device.Address,
            device.Mac.ToString());
    }

    public static BackupEventPayload BackupFailed(BackupOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new BackupEventPayload
        {
            EventType = "backup_failed",
            Device = outcome.Device.Name,
            Mac = outcome.Device.Mac.ToString(),
            Reason = outcome.Failure?.Reason ?? "unknown",
        };
    }

    public static BackupSucceededPayload BackupSucceeded(BackupOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var comparison = outcome.Comparison;
        return new BackupSucceededPayload
        {
            Device = outcome.Device.Name,
            Mac = outcome.Device.Mac.ToString(),
            File = outcome.File?.RelativePath,
            Size = outcome.File?.Size,
            Stored = outcome.File?.IsNew ?? true,
            Changed = comparison?.Changed,
            Changes = comparison?.Changes ?? [],
            More = comparison?.More ?? 0,
            ComparedWith = comparison?.ComparedWith,
            ChangesUnknown = comparison is null ? "not compared" : comparison.Unknown,
            Note = outcome.File?.Note,
        };
    }

    /// <summary>The device's last comparison; before any, everything unknown.</summary>
    public static BackupAttributesPayload BackupAttributes(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var comparison = device.LastComparison;
        return new BackupAttributesPayload(comparison?.Changed, comparison?.Changes ?? [], comparison?.More ?? 0, comparison?.ComparedWith, comparison?.Unknown);
    }

    public static RunAttributesPayload RunAttributes(HubStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new RunAttributesPayload(status.ChangedDevices);
    }

    public static BackupEventPayload RunFinished(HubStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new BackupEventPayload { EventType = "backup_all_finished", BackedUp = status.BackedUp, Skipped = status.Skipped, Failed = status.Failed };
    }

    /// <summary>ISO 8601 with an offset, as timestamp sensors need; null stays null (Home Assistant shows "unknown").</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Restore(RestoreResult result) => result switch
    {
        RestoreResult.Success => "success",
        RestoreResult.Failed => "failed",
        RestoreResult.Running => "running",
        _ => "never",
    };

    private static string Result(BackupResultState state) => state switch
    {
        BackupResultState.Success => "success",
        BackupResultState.Failed => "failed",
        _ => "never",
    };

    private static string Template(string key) => $"{{{{ value_json.{key} }}}}";

    private static DiscoveryOrigin Origin(string version) => new() { Name = GuardianInfo.Name, SwVersion = version, SupportUrl = GuardianInfo.ProjectUrl };

    private static DiscoveryAvailability[] Availability(HomeAssistantTopics topics) => [new DiscoveryAvailability { Topic = topics.Status }];

    private static DiscoveryComponent Component(string platform, string key, string name, string? icon)
    {
        var uniqueId = $"{HomeAssistantTopics.HubId}_{key}";
        return new DiscoveryComponent { Platform = platform, UniqueId = uniqueId, DefaultEntityId = $"{platform}.{uniqueId}", Name = name, Icon = icon };
    }
}
