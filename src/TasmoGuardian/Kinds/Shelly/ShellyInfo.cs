using TasmoGuardian.Devices;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// What a Shelly says about itself, unauthenticated: Gen1's <c>/shelly</c> (type, mac, auth, fw) and Gen2+'s
/// <c>/shelly</c> or <c>Shelly.GetDeviceInfo</c> (id, mac, model, gen, ver, app, name, auth_en), research §4.1, §4.2.
/// The device's own MAC is <c>mac</c> in every generation; nothing else in these answers is taken for it.
/// </summary>
internal sealed record ShellyInfo(Mac Mac, int Generation, string Id, string? Name, string? Version, string? Model, bool AuthEnabled)
{
    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <param name="source">Where the answer came from, for the problem ("/shelly", "Shelly.GetDeviceInfo").</param>
    /// <returns>Null with the problem, a sentence naming <paramref name="source"/>, when the answer is not a Shelly's.</returns>
    public static ShellyInfo? Parse(ReadOnlyMemory<byte> payload, string source, out string? problem)
    {
        using var document = JsonRead.Object(payload, out problem);
        if (document is null)
        {
            problem = $"{source} is not a Shelly's answer ({problem})";
            return null;
        }

        var root = document.RootElement;
        var rawMac = JsonRead.String(root, "mac");
        if (!Mac.TryParse(rawMac, out var mac))
        {
            problem = rawMac is null
                ? $"{source} has no MAC at \"mac\""
                : $"{source} has no valid MAC at \"mac\" (\"{DeviceText.Shorten(rawMac)}\")";
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
                Gen2Version(JsonRead.String(root, "ver"), JsonRead.String(root, "fw_id")),
                DeviceText.CleanModel(JsonRead.String(root, "app") ?? JsonRead.String(root, "model")),
                root.TryGetProperty("auth_en", out var auth) && auth.ValueKind == System.Text.Json.JsonValueKind.True);
        }

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

    /// <summary>
    /// Gen1's <c>fw</c> is a build id, <c>&lt;yyyyMMdd-HHmmss&gt;/v&lt;version&gt;&lt;build suffix&gt;</c>: the suffix is
    /// <c>@&lt;8 hex&gt;</c> (once with a trailing <c>+</c>) up to v1.9 and <c>-g&lt;7 hex&gt;</c> from v1.10
    /// (<c>20230913-112003/v1.14.0-gcb84623</c> → <c>1.14.0</c>). A pre-release part (<c>-rc3</c>, <c>-hotfix2</c>) names
    /// another release than the final one, so it stays, as WLED's <c>0.15.0-b3</c> does. A build of a branch has its
    /// name where a release has <c>v</c> and the version (<c>master@2bc16496</c>,
    /// <c>1047-long-id-for-shelly-devices@a0661583</c>): no version.
    /// </summary>
    public static string? Gen1Version(string? firmware)
    {
        if (firmware is null)
        {
            return null;
        }

        var slash = firmware.IndexOf('/', StringComparison.Ordinal);
        var text = slash < 0 ? firmware : firmware[(slash + 1)..];
        if (!text.StartsWith('v'))
        {
            return null;
        }

        text = text[1..];

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            text = text[..at];
        }

        return AsVersion(WithoutCommit(text, gOptional: false));
    }

    /// <summary>
    /// Gen2 and later tell the version itself in <c>ver</c>, pre-release parts included (<c>1.5.0-beta2</c>,
    /// <c>1.5.99-g4prod1</c>); <c>fw_id</c> is only the fallback, because its commit suffix cannot always be told from
    /// a pre-release part (<c>1.5.99-g4prod1-gc32c24b</c>) and some builds put no version in it (<c>20251217-083356/g76b2b76</c>).
    /// </summary>
    public static string? Gen2Version(string? ver, string? firmwareId)
    {
        if (ver is not null)
        {
            return DeviceText.CleanVersion(ver);
        }

        if (firmwareId is null)
        {
            return null;
        }

        var slash = firmwareId.IndexOf('/', StringComparison.Ordinal);
        return AsVersion(WithoutCommit(slash < 0 ? firmwareId : firmwareId[(slash + 1)..], gOptional: true));
    }

    public DeviceObservation ToObservation() => new(Mac, Generation >= 2 ? DeviceType.ShellyGen2 : DeviceType.ShellyGen1)
    {
        Name = Name ?? Id,
        NameSource = Name is null ? NameSource.Topic : NameSource.DeviceName,
        Version = Version,
        Model = Model,
    };

    /// <summary>Drops a trailing git commit, <c>-g&lt;hex&gt;</c> (Gen2 builds also <c>-&lt;8 hex&gt;</c> without the "g").</summary>
    private static string WithoutCommit(string text, bool gOptional)
    {
        var dash = text.LastIndexOf('-');
        if (dash < 0)
        {
            return text;
        }

        var tail = text.AsSpan(dash + 1);
        var hasG = tail.Length > 0 && tail[0] == 'g';
        if (hasG)
        {
            tail = tail[1..];
        }
        else if (!gOptional)
        {
            return text;
        }

        var isCommit = (hasG ? tail.Length is >= 7 and <= 40 : tail.Length is 7 or 8) && !tail.ContainsAnyExcept(Hex);
        return isCommit ? text[..dash] : text;
    }

    private static string? AsVersion(string text) => text.Length > 0 && char.IsAsciiDigit(text[0]) ? DeviceText.CleanVersion(text) : null;
}
