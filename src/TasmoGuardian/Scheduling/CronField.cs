namespace TasmoGuardian.Scheduling;

/// <summary>One of the five fields: its name for error messages, its range, and the names it accepts.</summary>
internal sealed record CronField(string Name, int Min, int Max, IReadOnlyList<string>? Names = null, int NameOffset = 0)
{
    public static readonly CronField Minutes = new("Minutes", 0, 59);
    public static readonly CronField Hours = new("Hours", 0, 23);
    public static readonly CronField DayOfMonth = new("Day of month", 1, 31);
    public static readonly CronField Month = new("Month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1);

    // 7 is Sunday too, as in Vixie cron.
    public static readonly CronField DayOfWeek = new("Day of week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 0);

    public string Describe() => Names is null
        ? $"a number between {Min} and {Max}"
        : $"a number between {Min} and {Max} or a name ({Names[0]}-{Names[^1]})";
}
