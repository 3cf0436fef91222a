using System.Text.Json;
using Cronos;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Devices;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Scheduling;

namespace TasmoGuardian.Configuration;

/// <summary>
/// Reads options.json (written by the Supervisor from config.yaml's schema, or by hand) and checks every value.
/// It walks the JSON document itself instead of deserializing, so a wrong type or range is reported with the
/// option's name and what was expected, in one line, before anything starts.
/// </summary>
internal static class OptionsLoader
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warning", "error"];

    /// <returns>The options and warnings about keys that are not options (ignored, as the Supervisor does).</returns>
    public static (GuardianOptions Options, IReadOnlyList<string> Warnings) Load(string path)
    {
        if (!File.Exists(path))
        {
            return (new GuardianOptions(), []);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"Cannot read the options file {path}: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    public static (GuardianOptions Options, IReadOnlyList<string> Warnings) Parse(ReadOnlySpan<byte> json, string source = "options")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new OptionsException($"The options file {source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OptionsException($"The options file {source} must hold a JSON object, not {Describe(root)}.");
            }

            var warnings = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!GuardianOptions.Keys.Contains(property.Name))
                {
                    warnings.Add($"Option '{property.Name}' is not known and is ignored.");
                }
            }

            var defaults = new GuardianOptions();
            var options = new GuardianOptions
            {
                MqttHost = OptionalString(root, "mqtt_host"),
                MqttPort = Integer(root, "mqtt_port", defaults.MqttPort, 1, 65535),
                MqttUsername = OptionalString(root, "mqtt_username"),
                MqttPassword = OptionalString(root, "mqtt_password"),
                MqttTls = Boolean(root, "mqtt_tls", defaults.MqttTls),
                DiscoveryPrefix = Topic(root, "discovery_prefix", defaults.DiscoveryPrefix),
                BaseTopic = Topic(root, "base_topic", defaults.BaseTopic),
                TasmotaDiscovery = Boolean(root, "tasmota_discovery", defaults.TasmotaDiscovery),
                AnnounceDiscovery = Boolean(root, "announce_discovery", defaults.AnnounceDiscovery),
                BackupDir = RequiredString(root, "backup_dir", defaults.BackupDir),
                BackupMinHours = Integer(root, "backup_min_hours", defaults.BackupMinHours, 0, 8760),
                Schedule = Schedule(root),
                KeepBackups = Integer(root, "keep_backups", defaults.KeepBackups, 0, 100_000),
                TasmotaUsername = RequiredString(root, "tasmota_username", defaults.TasmotaUsername),
                TasmotaPassword = OptionalString(root, "tasmota_password"),
                RequestTimeoutSeconds = Integer(root, "request_timeout_seconds", defaults.RequestTimeoutSeconds, 1, 300),
                Devices = Devices(root),
                StoreUnchanged = Boolean(root, "store_unchanged", defaults.StoreUnchanged),
                StaleDays = Integer(root, "stale_days", defaults.StaleDays, 0, 365),
                LogLevel = Level(root),
            };
            if (options.DiscoveryPrefix == options.BaseTopic)
            {
                throw new OptionsException($"Invalid option 'base_topic': it must differ from discovery_prefix ('{options.DiscoveryPrefix}').");
            }

            return (options, warnings);
        }
    }

    private static bool TryGet(JsonElement root, string key, out JsonElement value) =>
        root.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? OptionalString(JsonElement root, string key)
    {
        if (!TryGet(root, key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(key, $"expected text, not {Describe(value)}");
        }

        var text = value.GetString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string RequiredString(JsonElement root, string key, string fallback)
    {
        var text = OptionalString(root, key);
        if (text is null)
        {
            return fallback;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid(key, "must not be blank");
        }

        return text;
    }

    private static string Topic(JsonElement root, string key, string fallback)
    {
        var text = RequiredString(root, key, fallback);
        if (!TopicFilter.IsValidTopicName(text) || text.StartsWith('/') || text.EndsWith('/') || text.StartsWith('$'))
        {
            throw Invalid(key, $"'{text}' is not a usable MQTT topic (no '+', '#', leading '$' or leading or trailing '/')");
        }

        return text;
    }

    private static int Integer(JsonElement root, string key, int fallback, int min, int max)
    {
        if (!TryGet(root, key, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Invalid(key, $"expected a whole number between {min} and {max}, not {Describe(value)}");
        }

        if (number < min || number > max)
        {
            throw Invalid(key, $"{number} is outside {min}–{max}");
        }

        return number;
    }

    private static bool Boolean(JsonElement root, string key, bool fallback)
    {
        if (!TryGet(root, key, out var value))
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(key, $"expected true or false, not {Describe(value)}"),
        };
    }

    private static CronSchedule? Schedule(JsonElement root)
    {
        if (!root.TryGetProperty("schedule", out var value))
        {
            return CronSchedule.Parse(GuardianOptions.DefaultSchedule);
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => throw Invalid("schedule", $"expected a cron expression such as \"0 3 * * *\", not {Describe(value)}"),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return CronSchedule.Parse(text);
        }
        catch (CronFormatException ex)
        {
            throw Invalid("schedule", ex.Message.TrimEnd('.'));
        }
    }

    private static LogLevel Level(JsonElement root)
    {
        var text = OptionalString(root, "log_level");
        return text?.ToLowerInvariant() switch
        {
            null or "info" => LogLevel.Information,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => throw Invalid("log_level", $"'{text}' is not one of {string.Join(", ", LogLevels)}"),
        };
    }

    private static List<DeviceOption> Devices(JsonElement root)
    {
        var list = new List<DeviceOption>();
        if (!TryGet(root, "devices", out var value))
        {
            return list;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("devices", $"expected a list, not {Describe(value)}");
        }

        var index = 0;
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in value.EnumerateArray())
        {
            var key = $"devices[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(key, $"expected an entry with host and type, not {Describe(item)}");
            }

            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("host" or "type" or "name" or "username" or "password"))
                {
                    throw Invalid($"{key}.{property.Name}", "is not known; an entry has host, type, name, username and password");
                }
            }

            var host = OptionalString(item, "host")?.Trim() ?? throw Invalid($"{key}.host", "is missing");
            if (!HostAddress.TryValidate(host, out var problem))
            {
                throw Invalid($"{key}.host", problem!);
            }

            if (!hosts.Add(host))
            {
                throw Invalid($"{key}.host", $"'{host}' is listed twice");
            }

            var types = string.Join(", ", DeviceOption.Types.Keys);
            var typeText = OptionalString(item, "type") ?? throw Invalid($"{key}.type", $"is missing ({types})");
            if (!DeviceOption.Types.TryGetValue(typeText, out var type))
            {
                throw Invalid($"{key}.type", $"'{typeText}' is not one of {types}");
            }

            var name = OptionalString(item, "name")?.Trim();
            var username = OptionalString(item, "username")?.Trim();
            list.Add(new DeviceOption(host, type, string.IsNullOrEmpty(name) ? null : name, OptionalString(item, "password"), string.IsNullOrEmpty(username) ? null : username));
            index++;
        }

        return list;
    }

    private static OptionsException Invalid(string key, string problem) => new($"Invalid option '{key}': {problem}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{DeviceText.Shorten(value.GetString() ?? string.Empty, 40)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

}
