using System.Text;

namespace TasmoGuardian.Devices;

/// <summary>Cleans text that devices send about themselves before it is stored or shown.</summary>
internal static class DeviceText
{
    public const int MaxNameLength = 64;

    /// <summary>A device's own text in a log line or a reason: cut to <paramref name="max"/> characters, marked when cut.</summary>
    public static string Shorten(string text, int max = 60)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > max ? text[..max] + "…" : text;
    }

    /// <summary>The name precedence of contract.md ("Devices"): DeviceName, else FriendlyName, else the topic; each already cleaned.</summary>
    public static (string? Name, NameSource Source) PickName(string? deviceName, string? friendlyName, string? topic) =>
        deviceName is not null ? (deviceName, NameSource.DeviceName)
        : friendlyName is not null ? (friendlyName, NameSource.FriendlyName)
        : topic is not null ? (topic, NameSource.Topic)
        : (null, NameSource.Mac);

    /// <summary>Control characters dropped, surrounding space trimmed, cut to 64 characters; null when nothing is left.</summary>
    public static string? CleanName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(raw.Length, MaxNameLength * 2));
        foreach (var c in raw)
        {
            if (!char.IsControl(c) && c != '\uFFFD')
            {
                builder.Append(c);
            }

            if (builder.Length > MaxNameLength * 2)
            {
                break;
            }
        }

        var text = builder.ToString().Trim();
        if (text.Length > MaxNameLength)
        {
            var cut = char.IsHighSurrogate(text[MaxNameLength - 1]) ? MaxNameLength - 1 : MaxNameLength;
            text = text[..cut].TrimEnd();
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// The firmware version without its build suffix ("13.1.0(tasmota)" → "13.1.0"); null when it does not look like
    /// a version at all, so a hostile payload cannot put arbitrary text into a sensor or a file name.
    /// </summary>
    public static string? CleanVersion(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = raw.Trim();
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            text = text[..paren].Trim();
        }

        if (text.Length is 0 or > 40 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+'))
        {
            return null;
        }

        return text;
    }

    /// <summary>A version given as a git tag ("v24.11.7") without its "v", as every other version is kept (file names add their own).</summary>
    public static string? CleanTagVersion(string? raw) =>
        CleanVersion(raw is { Length: > 1 } && (raw[0] == 'v' || raw[0] == 'V') && char.IsAsciiDigit(raw[1]) ? raw[1..] : raw);

    public static string? CleanHostname(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 253)
        {
            return null;
        }

        return raw.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? raw : null;
    }

    public static string? CleanIp(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 45)
        {
            return null;
        }

        return System.Net.IPAddress.TryParse(raw, out var address) && !address.Equals(System.Net.IPAddress.Any) ? address.ToString() : null;
    }

    public static string? CleanModel(string? raw) => CleanName(raw);
}
