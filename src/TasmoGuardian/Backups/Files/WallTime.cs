namespace TasmoGuardian.Backups.Files;

/// <summary>
/// A local wall-clock time as an instant, the way cron users expect across daylight-saving changes: a time the clocks
/// skip (spring forward) becomes the first valid minute after it; a time they show twice (fall back) is its first
/// occurrence. The reading of local-time file names uses it; the schedule follows the same rule through Cronos
/// (CronSchedule).
/// </summary>
internal static class WallTime
{
    public static DateTimeOffset ToInstant(DateTime wall, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            var valid = wall;
            do
            {
                valid = valid.AddMinutes(1);
            }
            while (zone.IsInvalidTime(valid));

            return new DateTimeOffset(valid, zone.GetUtcOffset(valid));
        }

        if (zone.IsAmbiguousTime(wall))
        {
            // The larger offset is the earlier instant: the first time the clock shows this wall time.
            return new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max());
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
