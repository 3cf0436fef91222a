using System.Globalization;

namespace TasmoGuardian.Backups.Restore;

/// <summary>Orders firmware versions as their numbers read: "13.10.0" after "13.9.1", "15.0.1.3" after "15.0.1"; build suffixes ("(tasmota)", "-b3") do not count.</summary>
internal static class FirmwareVersion
{
    public static bool IsNewer(string candidate, string than)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(than);
        var a = Numbers(candidate);
        var b = Numbers(than);
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var x = i < a.Count ? a[i] : 0;
            var y = i < b.Count ? b[i] : 0;
            if (x != y)
            {
                return x > y;
            }
        }

        return false;
    }

    private static List<long> Numbers(string version)
    {
        var numbers = new List<long>();
        foreach (var part in version.Trim().TrimStart('v', 'V').Split('.'))
        {
            var digits = new string([.. part.TakeWhile(char.IsAsciiDigit)]);
            if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                break;
            }

            numbers.Add(n);
            if (digits.Length != part.Length)
            {
                break;
            }
        }

        return numbers;
    }
}
