namespace TasmoGuardian.Scheduling;

/// <summary>
/// A standard 5-field cron expression (minute hour day-of-month month day-of-week) and its next occurrence in a
/// time zone. Daylight saving is handled as cron users expect: a local time skipped by the clock change runs at the
/// next valid minute, and a local time that happens twice runs once, at its first occurrence.
/// </summary>
internal sealed class CronSchedule
{
    // Enough to find any real schedule (Feb 29 on a Monday recurs within 28 years); beyond it, "never".
    private const int SearchYears = 30;

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly string _expression;
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _daysOfMonth;
    private readonly ulong _months;
    private readonly ulong _daysOfWeek;
    private readonly bool _dayOfMonthIsStar;
    private readonly bool _dayOfWeekIsStar;

    private CronSchedule(string expression, string[] fields)
    {
        _expression = expression;
        _minutes = CronParser.ParseField(fields[0], CronField.Minutes);
        _hours = CronParser.ParseField(fields[1], CronField.Hours);
        _daysOfMonth = CronParser.ParseField(fields[2], CronField.DayOfMonth);
        _months = CronParser.ParseField(fields[3], CronField.Month);
        _daysOfWeek = CronParser.ParseField(fields[4], CronField.DayOfWeek);
        if ((_daysOfWeek & (1UL << 7)) != 0)
        {
            _daysOfWeek |= 1;
        }

        // Vixie cron: when both day fields are restricted, a day matching either one runs. A field starting with
        // '*' (also "*/2") counts as unrestricted.
        _dayOfMonthIsStar = fields[2].StartsWith('*') || fields[2].StartsWith('?');
        _dayOfWeekIsStar = fields[4].StartsWith('*') || fields[4].StartsWith('?');
    }

    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var trimmed = expression.Trim();
        var text = trimmed;
        if (text.StartsWith('@'))
        {
            if (!Macros.TryGetValue(text, out var expanded))
            {
                throw new CronFormatException($"Unknown macro '{text}'; use @yearly, @monthly, @weekly, @daily or @hourly.");
            }

            text = expanded;
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new CronFormatException($"Expected 5 fields (minute hour day-of-month month day-of-week) but found {fields.Length} in '{trimmed}'.");
        }

        return new CronSchedule(trimmed, fields);
    }

    public static bool TryParse(string expression, out CronSchedule? schedule)
    {
        try
        {
            schedule = Parse(expression);
            return true;
        }
        catch (CronFormatException)
        {
            schedule = null;
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="from"/>, or null if the expression never occurs.</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset from, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var lastDay = DateOnly.FromDateTime(start).AddYears(SearchYears);
        for (var day = DateOnly.FromDateTime(start); day <= lastDay; day = day.AddDays(1))
        {
            if (!DayMatches(day))
            {
                continue;
            }

            var firstDay = day == DateOnly.FromDateTime(start);
            for (var hour = firstDay ? start.Hour : 0; hour < 24; hour++)
            {
                if ((_hours & (1UL << hour)) == 0)
                {
                    continue;
                }

                var firstHour = firstDay && hour == start.Hour;
                for (var minute = firstHour ? start.Minute : 0; minute < 60; minute++)
                {
                    if ((_minutes & (1UL << minute)) == 0)
                    {
                        continue;
                    }

                    var occurrence = WallTime.ToInstant(day.ToDateTime(new TimeOnly(hour, minute)), zone);

                    // In the second pass of a repeated hour the wall times map to the first pass, already gone.
                    if (occurrence > from)
                    {
                        return occurrence;
                    }
                }
            }
        }

        return null;
    }

    public override string ToString() => _expression;

    private bool DayMatches(DateOnly day)
    {
        if ((_months & (1UL << day.Month)) == 0)
        {
            return false;
        }

        var dayOfMonth = (_daysOfMonth & (1UL << day.Day)) != 0;
        var dayOfWeek = (_daysOfWeek & (1UL << (int)day.DayOfWeek)) != 0;
        return _dayOfMonthIsStar || _dayOfWeekIsStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }
}
