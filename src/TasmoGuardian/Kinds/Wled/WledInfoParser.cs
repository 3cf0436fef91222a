using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Kinds.Wled;

/// <summary>
/// Reads WLED's <c>/json/info</c> (research §5.2): mac (12 lower-case hex, the Wi-Fi MAC even on Ethernet boards), ver
/// (the version as package.json names it, already the contract's form), name, ip, arch (the chip: esp8266, esp32,
/// esp32-c3, …). <c>wifi.bssid</c> is the access point's MAC and never the device's. A problem reads after the
/// endpoint's name ("/json/info has no MAC at "mac"").
/// </summary>
internal static class WledInfoParser
{
    public static DeviceObservation? Parse(ReadOnlyMemory<byte> payload, out string? problem)
    {
        using var document = JsonRead.Object(payload, out var unreadable);
        if (document is null)
        {
            problem = $"could not be read ({unreadable})";
            return null;
        }

        var root = document.RootElement;

        // /json answers with {"state":…,"info":…}; /json/info with the info object itself.
        var nested = JsonRead.Child(root, "info");
        var info = nested ?? root;
        if (!Mac.TryParse(JsonRead.String(info, "mac"), out var mac))
        {
            problem = nested is null ? "has no MAC at \"mac\"" : "has no MAC at \"info.mac\"";
            return null;
        }

        problem = null;

        var name = DeviceText.CleanName(JsonRead.String(info, "name"));
        var arch = DeviceText.CleanModel(JsonRead.String(info, "arch"));
        return new DeviceObservation(mac, DeviceType.Wled)
        {
            Name = name,
            NameSource = name is null ? NameSource.Mac : NameSource.DeviceName,
            Version = DeviceText.CleanVersion(JsonRead.String(info, "ver")),
            Ip = DeviceText.CleanIp(JsonRead.String(info, "ip")),
            Model = arch is null ? "WLED" : $"WLED {arch.ToUpperInvariant()}",
            Platform = arch?.ToUpperInvariant(),
        };
    }
}
