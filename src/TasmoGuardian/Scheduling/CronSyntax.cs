using System.Globalization;
using Cronos;

namespace TasmoGuardian.Scheduling;

/// <summary>
/// The contract's "5-field cron", checked field by field before Cronos parses it: numbers, names (JAN-DEC, SUN-SAT,
/// 7 is Sunday too), '*' and '?', ranges, steps and lists.
/// </summary>
/// <remarks>
/// Cronos accepts more: L, W, # and H, and ranges that wrap ("22-2", "FRI-MON"); CronSchedule also keeps out its sixth
/// (seconds) field and its @every_minute and @every_second. All of it is refused, for three reasons: the contract
/// promises 5-field cron, so a schedule accepted here means the same in a crontab; a typo must
/// stop start-up instead of silently meaning a Quartz feature ("0 3 L * *"); and Cronos's messages name the field but
/// not the value that is wrong ("Minutes: Value must be a number between 0 and 59"), where the add-on's user gets one
/// line to find the mistake in.
/// </remarks>
internal static class CronSyntax
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // In field order; a name's value is its index plus Offset.
    private static readonly (string Name, int Min, int Max, string[]? Names, int Offset)[] Fields =
    [
        ("Minutes", 0, 59, null, 0),
        ("Hours", 0, 23, null, 0),
        ("Day of month", 1, 31, null, 0),
        ("Month", 1, 12, MonthNames, 1),
        ("Day of week", 0, 7, DayNames, 0),
    ];

    /// <exception cref="CronFormatException">A field is not 5-field cron; the message names the field and the value.</exception>
    public static void Check(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        for (var i = 0; i < Fields.Length; i++)
        {
            foreach (var item in fields[i].Split(','))
            {
                CheckItem(item, Fields[i]);
            }
        }
    }

    private static void CheckItem(string item, (string Name, int Min, int Max, string[]? Names, int Offset) field)
    {
        if (item.Length == 0)
        {
            throw new CronFormatException($"{field.Name}: empty item in the list.");
        }

        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var range = slash >= 0 ? item[..slash] : item;
        if (slash >= 0)
        {
            var step = item[(slash + 1)..];
            if (Number(step) is not { } value || value < 1 || value > field.Max)
            {
                throw new CronFormatException($"{field.Name}: step '{step}' must be a number between 1 and {field.Max}.");
            }
        }

        if (range is "*" or "?")
        {
            return;
        }

        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            Value(range, field);
        }
        else if (Value(range[..dash], field) > Value(range[(dash + 1)..], field))
        {
            throw new CronFormatException($"{field.Name}: range '{range}' starts after it ends.");
        }
    }

    private static int Value(string text, (string Name, int Min, int Max, string[]? Names, int Offset) field)
    {
        if (Number(text) is { } number && number >= field.Min && number <= field.Max)
        {
            return number;
        }

        var index = field.Names is { } names ? Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) : -1;
        if (index >= 0)
        {
            return index + field.Offset;
        }

        var described = field.Names is { } all
            ? $"a number between {field.Min} and {field.Max} or a name ({all[0]}-{all[^1]})"
            : $"a number between {field.Min} and {field.Max}";
        throw new CronFormatException($"{field.Name}: value must be {described}, not '{text}'.");
    }

    // Cronos reads at most two digits; "005" is refused here with the value, not there without it.
    private static int? Number(string text) =>
        text.Length <= 2 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
