using Cronos;

namespace TasmoGuardian.Scheduling;

/// <summary>
/// A standard 5-field cron expression (minute hour day-of-month month day-of-week) and its next occurrence in a
/// time zone. Cronos parses it and finds the occurrences; where Cronos differs from the cron the contract promises,
/// cron's rule is kept: when both day fields are restricted a day matching either runs; a local time skipped by the
/// daylight-saving change runs at the next valid minute; a local time that happens twice runs once, at its first
/// occurrence, also for "0 * * * *" and "*/30 * * * *".
/// </summary>
internal sealed class CronSchedule
{
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

    private readonly string _text;
    private readonly CronExpression _expression;

    // Set when both day fields are restricted: _expression then has day-of-week '*' and this one day-of-month '*'.
    private readonly CronExpression? _orDayOfWeek;

    private CronSchedule(string text, CronExpression expression, CronExpression? orDayOfWeek)
    {
        _text = text;
        _expression = expression;
        _orDayOfWeek = orDayOfWeek;
    }

    /// <exception cref="CronFormatException">The expression is not 5-field cron; the message names what is wrong.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var trimmed = expression.Trim();
        var text = trimmed;

        // Our own table, not Cronos's: Cronos also knows @every_minute and @every_second, which no crontab has.
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

        CronSyntax.Check(fields);

        // POSIX and Vixie cron run on a day that matches either day field when both are restricted ("0 0 13 * FRI": every
        // 13th and every Friday); Cronos requires both. A field starting with '*' or '?' (also "*/2") is unrestricted,
        // as in Vixie cron, and then both must match, which Cronos does by itself.
        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (IsRestricted(dayOfMonth) && IsRestricted(dayOfWeek))
        {
            return new CronSchedule(
                trimmed,
                CronExpression.Parse($"{minute} {hour} {dayOfMonth} {month} *"),
                CronExpression.Parse($"{minute} {hour} * {month} {dayOfWeek}"));
        }

        return new CronSchedule(trimmed, CronExpression.Parse(string.Join(' ', fields)), null);
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

        // Cronos runs an expression with '*', a range or a step in the minute or hour field in both passes of the hour
        // the clocks repeat in autumn; cron as the contract promises it runs each wall time once, at its first pass.
        var next = Earliest(from, zone);
        while (next is { } occurrence && IsSecondPass(occurrence, zone))
        {
            next = Earliest(occurrence, zone);
        }

        return next;
    }

    public override string ToString() => _text;

    private static bool IsRestricted(string field) => !field.StartsWith('*') && !field.StartsWith('?');

    private static bool IsSecondPass(DateTimeOffset instant, TimeZoneInfo zone)
    {
        // Clocks go back, so the first pass has the larger offset.
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return zone.IsAmbiguousTime(local) && local.Offset < zone.GetAmbiguousTimeOffsets(local).Max();
    }

    private DateTimeOffset? Earliest(DateTimeOffset from, TimeZoneInfo zone)
    {
        var next = _expression.GetNextOccurrence(from, zone);
        return _orDayOfWeek?.GetNextOccurrence(from, zone) is { } other && (next is null || other < next) ? other : next;
    }
}
