namespace TasmoGuardian.Devices;

/// <summary>
/// Whether a device's backups need the user's attention (the "Backup problem" sensors, contract.md): its last backup
/// attempt failed, or its newest backup is older than stale_days (a device never backed up counts from its first
/// sighting). Restores do not count. Pure: the clock is an argument.
/// </summary>
internal static class BackupProblem
{
    /// <returns>A short sentence saying what is wrong, or null when nothing is.</returns>
    public static string? Of(Device device, DateTimeOffset now, int staleDays)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.LastResult == BackupResultState.Failed)
        {
            return $"the last backup failed: {device.LastReason ?? "no reason given"}";
        }

        if (StaleSince(device, staleDays) is { } since && now >= since)
        {
            var days = (int)Math.Floor((now - (device.LastBackup ?? device.FirstSeen!.Value)).TotalDays);
            return device.LastBackup is null
                ? $"never backed up in the {days} days since it was found"
                : $"the newest backup is {days} days old";
        }

        return null;
    }

    /// <summary>When the device turns stale if nothing happens (null: never, with stale_days 0 or nothing to count from).</summary>
    public static DateTimeOffset? StaleSince(Device device, int staleDays)
    {
        ArgumentNullException.ThrowIfNull(device);
        return staleDays > 0 && (device.LastBackup ?? device.FirstSeen) is { } reference ? reference.AddDays(staleDays) : null;
    }
}
