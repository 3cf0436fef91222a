using System.Globalization;

namespace TasmoGuardian.Devices;

/// <summary>A device's identity: 48 bits, printed as 12 upper-case hex digits without separators (A1B2C3D4E5F6).</summary>
internal readonly record struct Mac : IComparable<Mac>
{
    private readonly ulong _value;

    private Mac(ulong value)
    {
        _value = value;
    }

    public static Mac Parse(string text) =>
        TryParse(text, out var mac) ? mac : throw new FormatException($"'{text}' is not a MAC address.");

    /// <summary>
    /// Accepts AABBCCDDEEFF, aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF and aabb.ccdd.eeff in any case. All-zero and broadcast
    /// addresses are refused: Tasmota reports 00:00:00:00:00:00 for an unused Ethernet port.
    /// </summary>
    public static bool TryParse(string? text, out Mac mac)
    {
        mac = default;
        if (text is null)
        {
            return false;
        }

        Span<char> hex = stackalloc char[12];
        var span = text.AsSpan().Trim();
        switch (span.Length)
        {
            case 12:
                span.CopyTo(hex);
                break;
            case 17:
                var separator = span[2];
                if (separator is not (':' or '-'))
                {
                    return false;
                }

                for (var group = 0; group < 6; group++)
                {
                    if (group > 0 && span[(group * 3) - 1] != separator)
                    {
                        return false;
                    }

                    span.Slice(group * 3, 2).CopyTo(hex[(group * 2)..]);
                }

                break;
            case 14:
                if (span[4] != '.' || span[9] != '.')
                {
                    return false;
                }

                span[..4].CopyTo(hex);
                span.Slice(5, 4).CopyTo(hex[4..]);
                span.Slice(10, 4).CopyTo(hex[8..]);
                break;
            default:
                return false;
        }

        if (!ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) || value is 0 or 0xFFFF_FFFF_FFFF)
        {
            return false;
        }

        mac = new Mac(value);
        return true;
    }

    public override string ToString() => _value.ToString("X12", CultureInfo.InvariantCulture);

    public string ToLowerString() => _value.ToString("x12", CultureInfo.InvariantCulture);

    /// <summary>The form Home Assistant's device registry uses for connections: aa:bb:cc:dd:ee:ff.</summary>
    public string ToColonString()
    {
        var hex = ToLowerString();
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }

    public int CompareTo(Mac other) => _value.CompareTo(other._value);
}
