using Microsoft.Extensions.Logging;
using TasmoGuardian.Scheduling;

namespace TasmoGuardian.Configuration;

/// <summary>The add-on's options, one property per key of options.json (contract.md, "Options").</summary>
internal sealed record GuardianOptions
{
    public const string DefaultSchedule = "0 3 * * *";

    /// <summary>Every option key, in the order of the contract's table; config.yaml's schema must list exactly these.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "mqtt_host", "mqtt_port", "mqtt_username", "mqtt_password", "mqtt_tls", "discovery_prefix", "base_topic",
        "tasmota_discovery", "announce_discovery", "backup_dir", "backup_min_hours", "schedule", "keep_backups", "tasmota_username",
        "tasmota_password", "request_timeout_seconds", "devices", "store_unchanged", "stale_days", "log_level",
    ];

    public string? MqttHost { get; init; }

    public int MqttPort { get; init; } = 1883;

    public string? MqttUsername { get; init; }

    public string? MqttPassword { get; init; }

    public bool MqttTls { get; init; }

    public string DiscoveryPrefix { get; init; } = "homeassistant";

    public string BaseTopic { get; init; } = "tasmo_guardian";

    public bool TasmotaDiscovery { get; init; } = true;

    /// <summary>Learn the other kinds from what they announce over MQTT (Shelly, OpenDTU, openHASP, Awtrix, AI-on-the-Edge).</summary>
    public bool AnnounceDiscovery { get; init; } = true;

    public string BackupDir { get; init; } = "/share/tasmo_guardian";

    public int BackupMinHours { get; init; } = 24;

    /// <summary>Null when the schedule option is empty: no automatic backup-all.</summary>
    public CronSchedule? Schedule { get; init; } = CronSchedule.Parse(DefaultSchedule);

    public int KeepBackups { get; init; }

    public string TasmotaUsername { get; init; } = "admin";

    public string? TasmotaPassword { get; init; }

    public int RequestTimeoutSeconds { get; init; } = 30;

    public IReadOnlyList<DeviceOption> Devices { get; init; } = [];

    /// <summary>
    /// Keep a new file even when the configuration did not change since the device's previous backup (the default,
    /// as before). Off: such a backup records its time and result but keeps no file (contract.md, "What changed").
    /// </summary>
    public bool StoreUnchanged { get; init; } = true;

    /// <summary>A device's "Backup problem" turns on when its newest backup is older than this many days (0: only failures count).</summary>
    public int StaleDays { get; init; } = 7;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);

    public override string ToString() =>
        $"mqtt_host={MqttHost ?? "(auto)"} mqtt_port={MqttPort} mqtt_username={MqttUsername ?? "-"} mqtt_password={(string.IsNullOrEmpty(MqttPassword) ? "-" : "***")} " +
        $"mqtt_tls={MqttTls} discovery_prefix={DiscoveryPrefix} base_topic={BaseTopic} tasmota_discovery={TasmotaDiscovery} announce_discovery={AnnounceDiscovery} backup_dir={BackupDir} " +
        $"backup_min_hours={BackupMinHours} schedule={Schedule?.ToString() ?? "(none)"} keep_backups={KeepBackups} tasmota_username={TasmotaUsername} " +
        $"tasmota_password={(string.IsNullOrEmpty(TasmotaPassword) ? "-" : "***")} request_timeout_seconds={RequestTimeoutSeconds} devices={Devices.Count} store_unchanged={StoreUnchanged} stale_days={StaleDays} log_level={LogLevel}";
}
