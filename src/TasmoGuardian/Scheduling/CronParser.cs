using System.Globalization;

namespace TasmoGuardian.Scheduling;

/// <summary>Parses one field of a cron expression into a bit set: lists, ranges, steps and names.</summary>
internal static class CronParser
{
    public static ulong ParseField(string text, CronField field)
    {
        if (text.Length == 0)
        {
            throw new CronFormatException($"{field.Name}: the field is empty.");
        }

        ulong bits = 0;
        foreach (var item in text.Split(','))
        {
            bits |= ParseItem(item, field);
        }

        return bits;
    }

    private static ulong ParseItem(string item, CronField field)
    {
        if (item.Length == 0)
        {
            throw new CronFormatException($"{field.Name}: empty item in the list.");
        }

        var step = 1;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var range = item;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step <= 0 || step > field.Max)
            {
                throw new CronFormatException($"{field.Name}: step '{stepText}' must be a number between 1 and {field.Max}.");
            }

            range = item[..slash];
        }

        int start;
        int end;
        if (range is "*" or "?")
        {
            start = field.Min;
            end = field.Max;
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash >= 0)
            {
                start = ParseValue(range[..dash], field);
                end = ParseValue(range[(dash + 1)..], field);
                if (start > end)
                {
                    throw new CronFormatException($"{field.Name}: range '{range}' starts after it ends.");
                }
            }
            else
            {
                start = ParseValue(range, field);

                // "5/15" means from 5 to the end in steps of 15; a lone "5" is just 5.
                end = slash >= 0 ? field.Max : start;
            }
        }

        ulong bits = 0;
        for (var value = start; value <= end; value += step)
        {
            bits |= 1UL << value;
        }

        return bits;
    }

    private static int ParseValue(string text, CronField field)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            if (value < field.Min || value > field.Max)
            {
                throw new CronFormatException($"{field.Name}: value must be {field.Describe()}, not '{text}'.");
            }

            return value;
        }

        if (field.Names is { } names)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
                {
                    return i + field.NameOffset;
                }
            }
        }

        throw new CronFormatException($"{field.Name}: value must be {field.Describe()}, not '{text}'.");
    }
}
