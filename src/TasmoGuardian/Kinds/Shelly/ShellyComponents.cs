using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// Which settings of a backup's Shelly.GetConfig a restore writes, each with its component's own
/// <c>&lt;Component&gt;.SetConfig {[id,] config}</c> (there is no Shelly.SetConfig; partial configs are taken, research
/// §4.2). Never written: the network (<c>wifi</c> with the access point, <c>eth</c>, <c>zigbee</c>), because a device
/// given other network settings may not come back where it can be reached, and their passwords are never in a backup;
/// the login, which is not a component (Shelly.SetAuth); scripts, which their own calls put back. Of <c>sys</c> only the
/// device's name, eco mode and discoverability, its location and its SNTP server, not what the device fills in itself
/// (<c>mac</c>, <c>fw_id</c>, <c>addon_type</c>, <c>profile</c>, <c>cfg_rev</c>, as ShellyScanner leaves them out);
/// of <c>cloud</c> only <c>enable</c> (its server is provisioned by the cloud, which alone may change it); of
/// <c>mqtt</c> everything but a password, which GetConfig never returns anyway, so the device keeps its own.
/// </summary>
internal static class ShellyComponents
{
    private static readonly HashSet<string> Network = new(StringComparer.Ordinal) { "wifi", "eth", "zigbee" };

    private static readonly HashSet<string> SysParts = new(StringComparer.Ordinal) { "device", "location", "sntp" };

    private static readonly HashSet<string> DeviceFilled = new(StringComparer.Ordinal) { "mac", "fw_id", "addon_type", "profile" };

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["mqtt"] = "MQTT",
        ["ble"] = "BLE",
        ["ws"] = "WS",
        ["knx"] = "KNX",
        ["bthome"] = "BTHome",
        ["em"] = "EM",
        ["em1"] = "EM1",
        ["pm1"] = "PM1",
        ["emdata"] = "EMData",
        ["em1data"] = "EM1Data",
    };

    /// <summary>Every component setting the restore of <paramref name="config"/> writes, in the order of the backup.</summary>
    public static IReadOnlyList<ComponentConfig> Restorable(JsonElement config)
    {
        var result = new List<ComponentConfig>();
        foreach (var component in config.EnumerateObject())
        {
            var colon = component.Name.IndexOf(':', StringComparison.Ordinal);
            var type = colon < 0 ? component.Name : component.Name[..colon];
            long? id = colon >= 0 && long.TryParse(component.Name[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            if (Network.Contains(type) || type == "script" || component.Value.ValueKind != JsonValueKind.Object || (colon >= 0 && id is null))
            {
                continue;
            }

            var body = type switch
            {
                "sys" => Object(component.Value, name => SysParts.Contains(name), device => !DeviceFilled.Contains(device)),
                "cloud" => Object(component.Value, name => name == "enable"),
                "mqtt" => Object(component.Value, name => name != "pass"),
                _ => Object(component.Value, name => name != "id"),
            };
            if (body is not null)
            {
                result.Add(new ComponentConfig(component.Name, MethodOf(type), id, body));
            }
        }

        return result;
    }

    /// <summary>"switch" → "Switch.SetConfig"; method names are case-insensitive, these are the docs' spellings.</summary>
    private static string MethodOf(string type) =>
        (Names.TryGetValue(type, out var name) ? name : char.ToUpperInvariant(type[0]) + type[1..]) + ".SetConfig";

    /// <summary>The object's properties that <paramref name="keep"/> names (and of <c>device</c> those <paramref name="keepInDevice"/> names); null when none is left.</summary>
    private static byte[]? Object(JsonElement value, Func<string, bool> keep, Func<string, bool>? keepInDevice = null)
    {
        using var buffer = new MemoryStream();
        var written = 0;
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var property in value.EnumerateObject())
            {
                if (!keep(property.Name))
                {
                    continue;
                }

                if (keepInDevice is not null && property.Name == "device" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WriteStartObject(property.Name);
                    foreach (var inner in property.Value.EnumerateObject().Where(p => keepInDevice(p.Name)))
                    {
                        inner.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    property.WriteTo(writer);
                }

                written++;
            }

            writer.WriteEndObject();
        }

        return written == 0 ? null : buffer.ToArray();
    }

    /// <summary>One component's settings as a restore writes them: its GetConfig key, its SetConfig method, its id, the config object.</summary>
    internal sealed record ComponentConfig(string Key, string Method, long? Id, byte[] Config)
    {
        /// <summary>The SetConfig parameters: <c>{"id":0,"config":{…}}</c>, or <c>{"config":{…}}</c> for a component without an id.</summary>
        public byte[] Parameters()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                if (Id is { } id)
                {
                    writer.WriteNumber("id", id);
                }

                writer.WritePropertyName("config");
                writer.WriteRawValue(Config, skipInputValidation: true);
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
    }
}
