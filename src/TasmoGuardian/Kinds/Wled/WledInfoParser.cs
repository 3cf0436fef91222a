using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Kinds.Wled;

/// <summary>Reads WLED's <c>/json/info</c> (research §5.2): mac (12 lower-case hex), ver, name, ip, arch (the chip: esp8266, esp32, esp32-c3, …).</summary>
internal static class WledInfoParser
{
    public static DeviceObservation? Parse(ReadOnlyMemory<byte> payload, out string? problem)
    {
        using var document = JsonRead.Object(payload, out problem);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;

        // /json answers with {"state":…,"info":…}; /json/info with the info object itself.
        var info = JsonRead.Child(root, "info") ?? root;
        if (!Mac.TryParse(JsonRead.String(info, "mac"), out var mac))
        {
            problem = "the answer has no valid \"mac\"; is this a WLED device?";
            return null;
        }

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
