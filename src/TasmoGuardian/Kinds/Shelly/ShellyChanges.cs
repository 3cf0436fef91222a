using System.Globalization;
using System.Text.Json;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// What is configuration in a Shelly backup. Gen2 and later: Shelly.GetConfig.json by its paths ("wifi.sta.ssid",
/// "switch:0.name"), each script by its file ("scripts/1_power-monitor.js"), KVS by key ("kvs:my_key"), schedules and
/// webhooks by id ("schedule:3", "webhook:1"). Left out: "sys.cfg_rev" (counts the device's own saves),
/// "sys.device.fw_id" (the build it runs), the lists' "rev" and each KVS item's "etag" (revision counters, Gen2 API docs
/// "Sys", "Schedule", "Webhook", "KVS"), and Shelly.GetDeviceInfo.json, the identification answer. Gen1: settings.json by
/// its paths but the clock ("time", "unixtime"), the build ("fw", "build_info"), the cloud link's state and each
/// output's present state ("relays[*].ison", "relays[*].has_timer", "rollers[*].state", "lights[*].ison"), which
/// /settings reports beside the settings (compare shelly_gen1_status_1.14.0_SHSW-1.json); settings_actions.json by its
/// paths; shelly.json is the identification answer.
/// </summary>
internal static class ShellyChanges
{
    public const string ConfigFile = "Shelly.GetConfig.json";

    public static IBackupComparer Gen2 { get; } = new ZipComparer(
        entries => entries.ContainsKey(ConfigFile),
        new ZipRules
        {
            MainFile = ConfigFile,
            NotConfiguration = ["Shelly.GetDeviceInfo.json"],
            SelfChanging = new Dictionary<string, IReadOnlyCollection<string>> { [ConfigFile] = ["sys.cfg_rev", "sys.device.fw_id"] },
            Readers = new Dictionary<string, Func<byte[], byte[], IReadOnlyList<ConfigChange>>>
            {
                ["KVS.GetMany.json"] = (a, b) => ById(Kvs(a), Kvs(b), "kvs"),
                ["Schedule.List.json"] = (a, b) => ById(Listed(a, "jobs"), Listed(b, "jobs"), "schedule"),
                ["Webhook.List.json"] = (a, b) => ById(Listed(a, "hooks"), Listed(b, "hooks"), "webhook"),
            },
        });

    public static IBackupComparer Gen1 { get; } = new ZipComparer(
        entries => entries.ContainsKey("settings.json") && entries.ContainsKey("settings_actions.json"),
        new ZipRules
        {
            MainFile = "settings.json",
            NotConfiguration = ["shelly.json"],
            SelfChanging = new Dictionary<string, IReadOnlyCollection<string>>
            {
                ["settings.json"] = ["time", "unixtime", "fw", "build_info", "cloud.connected", "relays[*].ison", "relays[*].has_timer", "rollers[*].state", "lights[*].ison"],
            },
        });

    /// <summary>Entries that differ, came or went, as "prefix:id"; each entry's value compared as JSON.</summary>
    private static IReadOnlyList<ConfigChange> ById(IReadOnlyDictionary<string, byte[]> before, IReadOnlyDictionary<string, byte[]> after, string prefix)
    {
        var changes = new List<ConfigChange>();
        foreach (var (id, value) in after)
        {
            if (!before.TryGetValue(id, out var was))
            {
                changes.Add(ConfigChange.Added($"{prefix}:{id}"));
            }
            else if (JsonCompare.Differences(was, value).Count > 0)
            {
                changes.Add(ConfigChange.Changed($"{prefix}:{id}"));
            }
        }

        changes.AddRange(before.Keys.Where(k => !after.ContainsKey(k)).Select(k => ConfigChange.Removed($"{prefix}:{k}")));
        return changes;
    }

    /// <summary>KVS values by key, from either shape: 1.5 and later {"items":[{"key","etag","value"}]}, before {"items":{key:{"etag","value"}}}.</summary>
    private static Dictionary<string, byte[]> Kvs(byte[] body)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(body);
        if (JsonRead.Child(document.RootElement, "items") is { } map)
        {
            foreach (var item in map.EnumerateObject())
            {
                values[item.Name] = Value(item.Value);
            }
        }
        else if (document.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (JsonRead.String(item, "key") is { } key)
                {
                    values[key] = Value(item);
                }
            }
        }

        return values;

        static byte[] Value(JsonElement item) =>
            System.Text.Encoding.UTF8.GetBytes(item.ValueKind == JsonValueKind.Object && item.TryGetProperty("value", out var value) ? value.GetRawText() : "null");
    }

    /// <summary>A list's entries by their "id" (the list's own "rev" is left behind).</summary>
    private static Dictionary<string, byte[]> Listed(byte[] body, string list)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var id = JsonRead.Int64(item, "id")?.ToString(CultureInfo.InvariantCulture) ?? $"#{index}";
                entries[id] = System.Text.Encoding.UTF8.GetBytes(item.GetRawText());
                index++;
            }
        }

        return entries;
    }
}
