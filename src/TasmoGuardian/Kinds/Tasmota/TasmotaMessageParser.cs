using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using System.Text;
using System.Text.Json;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Reads the status replies and telemetry a Tasmota device publishes (research §2): STATUS, STATUS0, STATUS2,
/// STATUS5, INFO1, INFO2, STATE and LWT. Each gives part of the picture; the caller knows whose message it is.
/// </summary>
internal static class TasmotaMessageParser
{
    public static readonly IReadOnlyList<string> Suffixes = ["STATUS", "STATUS0", "STATUS2", "STATUS5", "INFO1", "INFO2", "STATE", "LWT"];

    /// <returns>The report, or null with the problem when the message is unusable or says nothing we need.</returns>
    public static TasmotaReport? Parse(string suffix, ReadOnlyMemory<byte> payload, out string? problem)
    {
        problem = null;
        if (suffix == "LWT")
        {
            return ParseLwt(payload, out problem);
        }

        using var document = JsonRead.Object(payload, out problem);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var report = suffix switch
        {
            "STATUS" => Status(JsonRead.Child(root, "Status")),
            "STATUS2" => Firmware(JsonRead.Child(root, "StatusFWR")),
            "STATUS5" => Network(JsonRead.Child(root, "StatusNET")),
            "STATUS0" => Merge(Status(JsonRead.Child(root, "Status")), Firmware(JsonRead.Child(root, "StatusFWR")), Network(JsonRead.Child(root, "StatusNET"))),

            // Up to 9.3.1 INFO messages were the bare object; since 9.4.0 they are wrapped in "Info1"/"Info2"
            // (arendst/Tasmota e94b99762, xdrv_02_9_mqtt.ino MqttConnected).
            "INFO1" => Info1(JsonRead.Child(root, "Info1") ?? root),
            "INFO2" => Info2(JsonRead.Child(root, "Info2") ?? root),
            "STATE" => State(root),
            _ => null,
        };
        if (report is null || report == Empty)
        {
            problem = $"no {Expected(suffix)} in the {suffix} message";
            return null;
        }

        return report;
    }

    private static readonly TasmotaReport Empty = new();

    private static TasmotaReport? ParseLwt(ReadOnlyMemory<byte> payload, out string? problem)
    {
        problem = null;
        var text = Encoding.UTF8.GetString(payload.Span).Trim();
        if (text.Equals("Online", StringComparison.OrdinalIgnoreCase))
        {
            return new TasmotaReport { Online = true };
        }

        if (text.Equals("Offline", StringComparison.OrdinalIgnoreCase))
        {
            return new TasmotaReport { Online = false };
        }

        problem = "the LWT is neither Online nor Offline";
        return null;
    }

    private static TasmotaReport? Status(JsonElement? status)
    {
        if (status is not { } s)
        {
            return null;
        }

        var deviceName = DeviceText.CleanName(JsonRead.String(s, "DeviceName"));
        var friendlyName = DeviceText.CleanName(JsonRead.FirstString(s, "FriendlyName"));
        var topic = DeviceText.CleanName(JsonRead.String(s, "Topic"));
        var (name, source) = DeviceText.PickName(deviceName, friendlyName, topic);
        return new TasmotaReport { Name = name, NameSource = source };
    }

    private static TasmotaReport? Firmware(JsonElement? firmware) =>
        firmware is { } f && DeviceText.CleanVersion(JsonRead.String(f, "Version")) is { } version
            ? new TasmotaReport { Version = version }
            : null;

    /// <summary>
    /// StatusNET (support_command.ino CmndStatus, research FACTS §1). Since 11.0.0 the top level is always the Wi-Fi
    /// station's (its MAC is the device id everywhere, as in discovery), and ESP32 builds add an "Ethernet" block with
    /// the Ethernet port's own MAC, never taken for the device's. Up to 10.x the top level is the active interface's
    /// (NetworkHostname, NetworkAddress, NetworkMacAddress): while Ethernet is up, its host name is the device's with
    /// "_eth" (xdrv_82_esp32_ethernet.ino @cbc74ab8:131-132) and its MAC the Ethernet port's, which discovery never
    /// names, so that MAC is kept apart (<see cref="TasmotaReport.EthernetMac"/>) for the caller to weigh.
    /// </summary>
    private static TasmotaReport? Network(JsonElement? network)
    {
        if (network is not { } n)
        {
            return null;
        }

        var ethernet = JsonRead.Child(n, "Ethernet");

        // Firmware older than 5.12 called the address "IP". An Ethernet-only device reports Wi-Fi's 0.0.0.0 on top
        // (CleanIp drops it) and its reachable address in the Ethernet block.
        var ip = DeviceText.CleanIp(JsonRead.String(n, "IPAddress") ?? JsonRead.String(n, "IP"))
            ?? (ethernet is { } e ? DeviceText.CleanIp(JsonRead.String(e, "IPAddress")) : null);
        var hostname = DeviceText.CleanHostname(JsonRead.String(n, "Hostname"));
        var hasMac = Mac.TryParse(JsonRead.String(n, "Mac"), out var mac);
        var isEthernetPort = ethernet is null && hostname is not null && hostname.EndsWith("_eth", StringComparison.Ordinal);
        return new TasmotaReport
        {
            Mac = hasMac && !isEthernetPort ? mac : null,
            EthernetMac = hasMac && isEthernetPort ? mac : null,
            Ip = ip,
            Hostname = isEthernetPort ? hostname![..^4] : hostname,
        };
    }

    private static TasmotaReport Info1(JsonElement info) => new()
    {
        Version = DeviceText.CleanVersion(JsonRead.String(info, "Version")),
        Model = DeviceText.CleanModel(JsonRead.String(info, "Module")),
    };

    /// <summary>
    /// INFO2: 4.x wrote "IPaddress"; since 11.0 "Hostname"/"IPAddress" are there only while Wi-Fi has an address, and
    /// an "Ethernet" object follows while the Ethernet port has one (xdrv_02_9_mqtt.ino @3b28c3d7:1064-1082). The
    /// Ethernet host name (the device's with "-eth") is not the one its topics use, so only the address is taken from it.
    /// </summary>
    private static TasmotaReport Info2(JsonElement info) => new()
    {
        Ip = DeviceText.CleanIp(JsonRead.String(info, "IPAddress") ?? JsonRead.String(info, "IPaddress"))
            ?? (JsonRead.Child(info, "Ethernet") is { } ethernet ? DeviceText.CleanIp(JsonRead.String(ethernet, "IPAddress")) : null),
        Hostname = DeviceText.CleanHostname(JsonRead.String(info, "Hostname")),
    };

    private static TasmotaReport State(JsonElement state) => new()
    {
        Ip = DeviceText.CleanIp(JsonRead.String(state, "IPAddress")),
        Hostname = DeviceText.CleanHostname(JsonRead.String(state, "Hostname")),
    };

    private static TasmotaReport? Merge(params TasmotaReport?[] reports)
    {
        var merged = new TasmotaReport();
        foreach (var r in reports)
        {
            if (r is null)
            {
                continue;
            }

            merged = merged with
            {
                Mac = r.Mac ?? merged.Mac,
                EthernetMac = r.EthernetMac ?? merged.EthernetMac,
                Ip = r.Ip ?? merged.Ip,
                Hostname = r.Hostname ?? merged.Hostname,
                Version = r.Version ?? merged.Version,
                Name = r.Name ?? merged.Name,
                NameSource = r.Name is null ? merged.NameSource : r.NameSource,
                Model = r.Model ?? merged.Model,
            };
        }

        return merged;
    }

    private static string Expected(string suffix) => suffix switch
    {
        "STATUS" => "device name",
        "STATUS2" => "firmware version",
        "STATUS5" => "network details",
        "INFO1" => "version or module",
        "INFO2" or "STATE" => "IP address or host name",
        _ => "device details",
    };
}
