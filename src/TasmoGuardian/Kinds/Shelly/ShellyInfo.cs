using TasmoGuardian.Devices;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// What a Shelly says about itself, unauthenticated: Gen1's <c>/shelly</c> (type, mac, auth, fw) and Gen2+'s
/// <c>/shelly</c> or <c>Shelly.GetDeviceInfo</c> (id, mac, model, gen, ver, app, name, auth_en), research §4.1, §4.2.
/// </summary>
internal sealed record ShellyInfo(Mac Mac, int Generation, string Id, string? Name, string? Version, string? Model, bool AuthEnabled)
{
    /// <returns>Null with the problem when the answer is not a Shelly's.</returns>
    public static ShellyInfo? Parse(ReadOnlyMemory<byte> payload, out string? problem)
    {
        using var document = JsonRead.Object(payload, out problem);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        if (!Mac.TryParse(JsonRead.String(root, "mac"), out var mac))
        {
            problem = "the answer has no valid \"mac\"; is this a Shelly?";
            return null;
        }

        var generation = (int)(JsonRead.Int64(root, "gen") ?? 1);
        if (generation >= 2)
        {
            var id = DeviceText.CleanName(JsonRead.String(root, "id")) ?? mac.ToString();
            return new ShellyInfo(
                mac,
                generation,
                id,
                DeviceText.CleanName(JsonRead.String(root, "name")),
                DeviceText.CleanVersion(JsonRead.String(root, "ver")),
                DeviceText.CleanModel(JsonRead.String(root, "app") ?? JsonRead.String(root, "model")),
                root.TryGetProperty("auth_en", out var auth) && auth.ValueKind == System.Text.Json.JsonValueKind.True);
        }

        // Gen1: "fw" is "20201124-092159/v1.9.0@57ac4ad8"; the version is between "/v" and "@".
        var type = DeviceText.CleanModel(JsonRead.String(root, "type"));
        return new ShellyInfo(
            mac,
            1,
            $"shelly-{mac.ToLowerString()}",
            null,
            Gen1Version(JsonRead.String(root, "fw")),
            type,
            root.TryGetProperty("auth", out var gen1Auth) && gen1Auth.ValueKind == System.Text.Json.JsonValueKind.True);
    }

    public static string? Gen1Version(string? firmware)
    {
        if (firmware is null)
        {
            return null;
        }

        var start = firmware.IndexOf("/v", StringComparison.Ordinal);
        var text = start < 0 ? firmware : firmware[(start + 2)..];
        var end = text.IndexOf('@', StringComparison.Ordinal);
        return DeviceText.CleanVersion(end < 0 ? text : text[..end]);
    }

    public DeviceObservation ToObservation() => new(Mac, Generation >= 2 ? DeviceType.ShellyGen2 : DeviceType.ShellyGen1)
    {
        Name = Name ?? Id,
        NameSource = Name is null ? NameSource.Topic : NameSource.DeviceName,
        Version = Version,
        Model = Model,
    };
}
