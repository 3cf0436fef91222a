using TasmoGuardian.Devices;

namespace TasmoGuardian.Configuration;

/// <summary>One entry of the <c>devices</c> option: a device given by host rather than found over MQTT.</summary>
internal sealed record DeviceOption(string Host, DeviceType Type, string? Name, string? Password, string? Username = null)
{
    /// <summary>The <c>type</c> values the option accepts, and the kind each one means.</summary>
    public static readonly IReadOnlyDictionary<string, DeviceType> Types = new Dictionary<string, DeviceType>(StringComparer.OrdinalIgnoreCase)
    {
        ["tasmota"] = DeviceType.Tasmota,
        ["wled"] = DeviceType.Wled,

        // Gen1 or Gen2 and later: /shelly's "gen" tells them apart when the device is identified.
        ["shelly"] = DeviceType.ShellyGen2,
        ["opendtu"] = DeviceType.OpenDtu,
        ["ahoydtu"] = DeviceType.AhoyDtu,
        ["ai_on_the_edge"] = DeviceType.AiOnTheEdge,
        ["awtrix"] = DeviceType.Awtrix,
        ["openhasp"] = DeviceType.OpenHasp,
    };

    // Records print every property; a password must never reach a log line.
    public override string ToString() =>
        $"{Type} at {Host}{(Name is null ? "" : $" ({Name})")}{(Username is null ? "" : $" as {Username}")}{(Password is null ? "" : ", password set")}";
}
