using System.Globalization;
using Cronos;
using TasmoGuardian.Scheduling;

namespace TasmoGuardian.Tests.Scheduling;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    // Plain fields, UTC.
    [InlineData("0 3 * * *", "2026-11-22T00:00:00+00:00", "2026-11-22T03:00:00+00:00")]
    [InlineData("0 3 * * *", "2026-11-22T03:00:00+00:00", "2026-11-23T03:00:00+00:00")]
    [InlineData("0 3 * * *", "2026-11-22T02:59:59+00:00", "2026-11-22T03:00:00+00:00")]
    [InlineData("* * * * *", "2026-11-22T10:15:30+00:00", "2026-11-22T10:16:00+00:00")]
    [InlineData("*/15 * * * *", "2026-11-22T10:16:00+00:00", "2026-11-22T10:30:00+00:00")]
    [InlineData("5/20 * * * *", "2026-11-22T10:46:00+00:00", "2026-11-22T11:05:00+00:00")]
    [InlineData("0,30 8-10 * * *", "2026-11-22T10:30:00+00:00", "2026-11-23T08:00:00+00:00")]
    [InlineData("0 0-23/6 * * *", "2026-11-22T13:00:00+00:00", "2026-11-22T18:00:00+00:00")]
    [InlineData("30 4 1 * *", "2026-11-22T00:00:00+00:00", "2026-12-01T04:30:00+00:00")]
    [InlineData("0 0 29 2 *", "2026-03-01T00:00:00+00:00", "2028-02-29T00:00:00+00:00")]
    [InlineData("0 0 31 * *", "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00")]
    // Names, day of week, 7 as Sunday.
    [InlineData("0 9 * * MON", "2026-11-22T00:00:00+00:00", "2026-11-23T09:00:00+00:00")]
    [InlineData("0 9 * * 7", "2026-11-22T10:00:00+00:00", "2026-11-29T09:00:00+00:00")]
    [InlineData("0 9 * * sat,sun", "2026-11-23T00:00:00+00:00", "2026-11-28T09:00:00+00:00")]
    [InlineData("0 9 * * mon-fri", "2026-11-21T00:00:00+00:00", "2026-11-23T09:00:00+00:00")]
    [InlineData("0 0 1 jan *", "2026-11-22T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [InlineData("0 0 * NOV-DEC *", "2026-03-15T00:00:00+00:00", "2026-11-01T00:00:00+00:00")]
    [InlineData("0 9 * * SUN", "2026-11-22T10:00:00+00:00", "2026-11-29T09:00:00+00:00")]
    [InlineData("0 9 * * 5-7", "2026-11-22T10:00:00+00:00", "2026-11-27T09:00:00+00:00")]
    [InlineData("0 9 * * 1-5/2", "2026-11-24T00:00:00+00:00", "2026-11-25T09:00:00+00:00")]
    [InlineData("0 0 1 JAN-DEC/3 *", "2026-11-22T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    // Both day fields restricted: either matches (Vixie cron).
    [InlineData("0 0 13 * FRI", "2026-11-22T00:00:00+00:00", "2026-11-27T00:00:00+00:00")]
    [InlineData("0 0 24 * FRI", "2026-11-22T00:00:00+00:00", "2026-11-24T00:00:00+00:00")]
    [InlineData("0 0 1 * SAT,SUN", "2026-11-23T00:00:00+00:00", "2026-11-28T00:00:00+00:00")]
    [InlineData("0 0 1 * SAT,SUN", "2026-11-29T12:00:00+00:00", "2026-12-01T00:00:00+00:00")]
    // ... and the month still applies to both: the first December Friday comes before December 13.
    [InlineData("0 0 13 DEC FRI", "2026-11-22T00:00:00+00:00", "2026-12-04T00:00:00+00:00")]
    // A day-of-week starting with "*" counts as unrestricted, so both must match (Vixie cron): the next 25th on Sun/Tue/Thu/Sat.
    [InlineData("0 0 25 * */2", "2026-11-22T00:00:00+00:00", "2027-02-25T00:00:00+00:00")]
    [InlineData("0 0 */10 * FRI", "2026-11-22T00:00:00+00:00", "2026-12-11T00:00:00+00:00")]
    // "?" is "*" and counts as unrestricted too.
    [InlineData("0 0 25 * ?", "2026-11-22T00:00:00+00:00", "2026-11-25T00:00:00+00:00")]
    [InlineData("0 0 ? * FRI", "2026-11-22T00:00:00+00:00", "2026-11-27T00:00:00+00:00")]
    // Macros.
    [InlineData("@daily", "2026-11-22T12:00:00+00:00", "2026-11-23T00:00:00+00:00")]
    [InlineData("@midnight", "2026-11-22T12:00:00+00:00", "2026-11-23T00:00:00+00:00")]
    [InlineData("@hourly", "2026-11-22T12:00:00+00:00", "2026-11-22T13:00:00+00:00")]
    [InlineData("@weekly", "2026-11-22T12:00:00+00:00", "2026-11-29T00:00:00+00:00")]
    [InlineData("@monthly", "2026-11-22T12:00:00+00:00", "2026-12-01T00:00:00+00:00")]
    [InlineData("@yearly", "2026-11-22T12:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [InlineData("@annually", "2026-11-22T12:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    public void GetNextOccurrence_InUtc(string expression, string from, string expected) =>
        Assert.Equal(At(expected), CronSchedule.Parse(expression).GetNextOccurrence(At(from), TimeZoneInfo.Utc));

    [Theory]
    // Europe/Berlin, spring forward 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:xx does not exist.
    [InlineData("30 2 * * *", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00")]
    [InlineData("30 2 * * *", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00")]
    [InlineData("*/15 2 * * *", "2026-03-29T01:50:00+01:00", "2026-03-29T03:00:00+02:00")]
    [InlineData("0 3 * * *", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00")]
    [InlineData("59 1 * * *", "2026-03-29T00:00:00+01:00", "2026-03-29T01:59:00+01:00")]
    [InlineData("0 2 29 3 *", "2026-03-01T00:00:00+01:00", "2026-03-29T03:00:00+02:00")]
    // ... and a skipped hour full of occurrences runs once, not once per skipped occurrence.
    [InlineData("*/15 2 * * *", "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00")]
    // Europe/Berlin, fall back 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:xx happens twice and runs once.
    [InlineData("30 2 * * *", "2026-10-24T12:00:00+02:00", "2026-10-25T02:30:00+02:00")]
    [InlineData("30 2 * * *", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00")]
    [InlineData("30 2 * * *", "2026-10-25T02:10:00+01:00", "2026-10-26T02:30:00+01:00")]
    [InlineData("0 * * * *", "2026-10-25T01:30:00+02:00", "2026-10-25T02:00:00+02:00")]
    [InlineData("0 * * * *", "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00")]
    [InlineData("0 3 * * *", "2026-10-25T02:30:00+01:00", "2026-10-25T03:00:00+01:00")]
    [InlineData("0,30 2 * * *", "2026-10-25T02:30:00+02:00", "2026-10-26T02:00:00+01:00")]
    // ... also with '*', a range or a step in the minute or hour field, which Cronos alone runs in both passes.
    [InlineData("*/30 * * * *", "2026-10-25T02:40:00+02:00", "2026-10-25T03:00:00+01:00")]
    [InlineData("*/30 * * * *", "2026-10-25T02:10:00+01:00", "2026-10-25T03:00:00+01:00")]
    [InlineData("* 2 * * *", "2026-10-25T02:59:00+02:00", "2026-10-26T02:00:00+01:00")]
    [InlineData("0 1-3 * * *", "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00")]
    public void GetNextOccurrence_InBerlin_AcrossDaylightSaving(string expression, string from, string expected) =>
        Assert.Equal(At(expected), CronSchedule.Parse(expression).GetNextOccurrence(At(from), Berlin));

    [Theory]
    // America/New_York, spring forward 2026-03-08 at 02:00 EST → 03:00 EDT.
    [InlineData("30 2 * * *", "2026-03-07T12:00:00-05:00", "2026-03-08T03:00:00-04:00")]
    [InlineData("0 2 8 3 *", "2026-03-01T00:00:00-05:00", "2026-03-08T03:00:00-04:00")]
    [InlineData("0 3 * * *", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00")]
    // Fall back 2026-11-01 at 02:00 EDT → 01:00 EST; 01:xx happens twice and runs once.
    [InlineData("30 1 * * *", "2026-10-31T12:00:00-04:00", "2026-11-01T01:30:00-04:00")]
    [InlineData("30 1 * * *", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00")]
    [InlineData("30 1 * * *", "2026-11-01T01:10:00-05:00", "2026-11-02T01:30:00-05:00")]
    [InlineData("0 3 * * *", "2026-11-01T01:59:00-05:00", "2026-11-01T03:00:00-05:00")]
    public void GetNextOccurrence_InNewYork_AcrossDaylightSaving(string expression, string from, string expected) =>
        Assert.Equal(At(expected), CronSchedule.Parse(expression).GetNextOccurrence(At(from), NewYork));

    [Fact]
    public void GetNextOccurrence_IsNull_WhenTheDateNeverExists() =>
        Assert.Null(CronSchedule.Parse("0 0 30 2 *").GetNextOccurrence(At("2026-01-01T00:00:00+00:00"), TimeZoneInfo.Utc));

    [Fact]
    public void GetNextOccurrence_WalksAWholeYear_WithoutSkippingOrRepeatingAnInstant()
    {
        var schedule = CronSchedule.Parse("*/30 * * * *");
        var at = At("2025-12-31T23:59:00+01:00");
        var end = At("2027-01-01T00:00:00+01:00");
        var seen = new HashSet<DateTimeOffset>();
        while (schedule.GetNextOccurrence(at, Berlin) is { } next && next < end)
        {
            Assert.True(next > at);
            Assert.True(seen.Add(next.ToUniversalTime()));
            at = next;
        }

        // 365 days of 48 runs; March's missing hour loses two and the repeated hour in October runs once.
        Assert.Equal((365 * 48) - 2, seen.Count);
    }

    [Theory]
    // Field counts.
    [InlineData("", "Expected 5 fields")]
    [InlineData("* * * *", "Expected 5 fields (minute hour day-of-month month day-of-week) but found 4")]
    [InlineData("* * * * * *", "but found 6")]
    // A seconds field, as Cronos reads it with CronFormat.IncludeSeconds, is a sixth field.
    [InlineData("0 30 3 * * *", "Expected 5 fields (minute hour day-of-month month day-of-week) but found 6 in '0 30 3 * * *'.")]
    // Minute field is invalid.
    [InlineData("60 * * * *", "Minutes: value must be a number between 0 and 59, not '60'.")]
    [InlineData("-1 * * * *", "Minutes: value must be a number between 0 and 59, not ''.")]
    [InlineData("a * * * *", "Minutes: value must be a number between 0 and 59, not 'a'.")]
    [InlineData("*/0 * * * *", "Minutes: step '0' must be a number between 1 and 59.")]
    [InlineData("*/x * * * *", "Minutes: step 'x' must be")]
    [InlineData("1,,2 * * * *", "Minutes: empty item in the list.")]
    [InlineData("30-10 * * * *", "Minutes: range '30-10' starts after it ends.")]
    // Other fields.
    [InlineData("0 24 * * *", "Hours: value must be a number between 0 and 23, not '24'.")]
    [InlineData("0 0 0 * *", "Day of month: value must be a number between 1 and 31, not '0'.")]
    [InlineData("0 0 32 * *", "Day of month: value must be a number between 1 and 31, not '32'.")]
    [InlineData("0 0 * 13 *", "Month: value must be a number between 1 and 12 or a name (JAN-DEC), not '13'.")]
    [InlineData("0 0 * DEC-FEB *", "Month: range 'DEC-FEB' starts after it ends.")]
    [InlineData("0 0 * JANUARY *", "Month: value must be a number between 1 and 12 or a name (JAN-DEC), not 'JANUARY'.")]
    [InlineData("0 0 * * 8", "Day of week: value must be a number between 0 and 7 or a name (SUN-SAT), not '8'.")]
    [InlineData("0 0 * * FUN", "Day of week: value must be a number between 0 and 7 or a name (SUN-SAT), not 'FUN'.")]
    // Syntax Cronos accepts beyond 5-field cron (CronSyntax says why it is refused).
    [InlineData("0 0 L * *", "Day of month: value must be a number between 1 and 31, not 'L'.")]
    [InlineData("0 0 LW * *", "Day of month: value must be a number between 1 and 31, not 'LW'.")]
    [InlineData("0 0 L-2 * *", "Day of month: value must be a number between 1 and 31, not 'L'.")]
    [InlineData("0 0 15W * *", "Day of month: value must be a number between 1 and 31, not '15W'.")]
    [InlineData("0 0 * * 5L", "Day of week: value must be a number between 0 and 7 or a name (SUN-SAT), not '5L'.")]
    [InlineData("0 0 * * FRI#3", "Day of week: value must be a number between 0 and 7 or a name (SUN-SAT), not 'FRI#3'.")]
    [InlineData("H 3 * * *", "Minutes: value must be a number between 0 and 59, not 'H'.")]
    [InlineData("H/15 * * * *", "Minutes: value must be a number between 0 and 59, not 'H'.")]
    [InlineData("0 22-2 * * *", "Hours: range '22-2' starts after it ends.")]
    [InlineData("0 0 * * FRI-MON", "Day of week: range 'FRI-MON' starts after it ends.")]
    [InlineData("005 * * * *", "Minutes: value must be a number between 0 and 59, not '005'.")]
    [InlineData("*/005 * * * *", "Minutes: step '005' must be a number between 1 and 59.")]
    // Macros.
    [InlineData("@reboot", "Unknown macro '@reboot'")]
    [InlineData("@every 5m", "Unknown macro '@every 5m'")]
    [InlineData("@every_minute", "Unknown macro '@every_minute'")]
    [InlineData("@every_second", "Unknown macro '@every_second'")]
    public void Parse_ThrowsCronFormatException_WhenTheExpressionIsInvalid(string expression, string message)
    {
        var ex = Assert.Throws<CronFormatException>(() => CronSchedule.Parse(expression));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(CronSchedule.TryParse(expression, out _));
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
