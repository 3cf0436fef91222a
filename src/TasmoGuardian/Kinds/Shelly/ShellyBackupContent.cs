using System.Globalization;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// A Gen2+ backup zip (<see cref="ShellyGen2Kind"/>) read for a restore: the backup being put back, the device before it
/// and the device after it. Scripts carry the name and enable state of their <c>script:&lt;id&gt;</c> component in
/// Shelly.GetConfig, where the firmware reports them; the file name's (reduced) name stands in only where GetConfig has
/// no such component. KVS items are read in either form the firmware has sent (research §4.2). A part the device did not
/// have is null.
/// </summary>
internal sealed record ShellyBackupContent(
    JsonElement Config,
    JsonElement DeviceInfo,
    IReadOnlyList<ShellyBackupContent.Script> Scripts,
    IReadOnlyList<KeyValuePair<string, JsonElement>>? Kvs,
    IReadOnlyList<JsonElement>? Jobs,
    IReadOnlyList<JsonElement>? Hooks)
{
    public const string ConfigFile = "Shelly.GetConfig.json";
    public const string InfoFile = "Shelly.GetDeviceInfo.json";

    /// <summary>The firmware's name of the model (<c>Plus1PM</c>); devices with the same app run the same firmware.</summary>
    public string? App => JsonRead.String(DeviceInfo, "app");

    /// <summary>The hardware model (<c>SNSW-001P16EU</c>); firmware 0.10 does not tell it.</summary>
    public string? Model => JsonRead.String(DeviceInfo, "model");

    /// <summary>The device profile of multi-profile devices (<c>switch</c>, <c>cover</c>), which decides their components.</summary>
    public string? Profile => JsonRead.Child(Config, "sys") is { } sys && JsonRead.Child(sys, "device") is { } device ? JsonRead.String(device, "profile") : null;

    /// <summary>The model as a user reads it: "Plus1PM (SNSW-001P16EU)".</summary>
    public string ModelText => (App, Model) switch
    {
        (null, null) => "unknown model",
        ({ } app, null) => app,
        (null, { } model) => model,
        ({ } app, { } model) => $"{app} ({model})",
    };

    /// <param name="what">Whose backup it is, for a failure ("the stored backup's").</param>
    public static ShellyBackupContent Read(byte[] zip, string what)
    {
        var entries = BackupZip.Read(zip);
        var config = Element(BackupZip.Entry(entries, ConfigFile), $"{what} {ConfigFile}", "sys");
        var info = Element(BackupZip.Entry(entries, InfoFile), $"{what} {InfoFile}", "mac");
        var scripts = new List<Script>();
        foreach (var (name, code) in entries)
        {
            if (!name.StartsWith("scripts/", StringComparison.Ordinal) || !name.EndsWith(".js", StringComparison.Ordinal))
            {
                continue;
            }

            var stem = name["scripts/".Length..^".js".Length];
            var underscore = stem.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !long.TryParse(stem[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw DeviceException.Of(FailureKind.NotADump, $"{what} {DeviceText.Shorten(name)} is not named as a Shelly script is kept (scripts/<id>_<name>.js)");
            }

            var component = JsonRead.Child(config, $"script:{id}");
            var scriptName = component is { } c && JsonRead.String(c, "name") is { } own ? own : stem[(underscore + 1)..];
            var enable = component is { } e && e.TryGetProperty("enable", out var flag) && flag.ValueKind == JsonValueKind.True;
            scripts.Add(new Script(id, scriptName, enable, code));
        }

        scripts.Sort((a, b) => a.Id.CompareTo(b.Id));
        var kvs = entries.TryGetValue("KVS.GetMany.json", out var kvsBody) ? KvsItems(Element(kvsBody, $"{what} KVS.GetMany.json", "items")) : null;
        var jobs = entries.TryGetValue("Schedule.List.json", out var jobsBody) ? List(Element(jobsBody, $"{what} Schedule.List.json", "jobs"), "jobs") : null;
        var hooks = entries.TryGetValue("Webhook.List.json", out var hooksBody) ? List(Element(hooksBody, $"{what} Webhook.List.json", "hooks"), "hooks") : null;
        return new ShellyBackupContent(config, info, scripts, kvs, jobs, hooks);
    }

    private static JsonElement Element(byte[] body, string part, string key)
    {
        PartCheck.JsonObject(body, part, key);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Firmware 1.5 and later: <c>[{key, etag, value}]</c>; older: <c>{key: {etag, value}}</c>.</summary>
    private static List<KeyValuePair<string, JsonElement>> KvsItems(JsonElement root)
    {
        var items = root.GetProperty("items");
        var result = new List<KeyValuePair<string, JsonElement>>();
        if (items.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in items.EnumerateObject())
            {
                if (item.Value.ValueKind == JsonValueKind.Object && item.Value.TryGetProperty("value", out var value))
                {
                    result.Add(new(item.Name, value));
                }
            }
        }
        else if (items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (JsonRead.String(item, "key") is { } key && item.TryGetProperty("value", out var value))
                {
                    result.Add(new(key, value));
                }
            }
        }

        return result;
    }

    private static List<JsonElement> List(JsonElement root, string key) =>
        root.GetProperty(key).ValueKind == JsonValueKind.Array ? [.. root.GetProperty(key).EnumerateArray()] : [];

    /// <summary>One script: its id on the device it was read from, its name, whether it starts at boot, its code as stored.</summary>
    internal sealed record Script(long Id, string Name, bool Enable, byte[] Code);
}
