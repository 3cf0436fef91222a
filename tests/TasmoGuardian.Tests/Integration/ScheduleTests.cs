using Microsoft.Extensions.Time.Testing;
using TasmoGuardian.Scheduling;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>The schedule option runs a backup-all at its time, in the add-on's time zone, which also names the files.</summary>
public sealed class ScheduleTests : IntegrationContext
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task Schedule_RunsABackupAll_AtItsLocalTime_AndTheFileNameUsesLocalTime()
    {
        var device = await DiscoveredTasmotaAsync("Scheduled");

        // 02:59:30 in Berlin (01:59:30 UTC in winter): the nightly "0 3 * * *" is thirty seconds away.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 59, 30, TimeSpan.Zero));
        clock.SetLocalTimeZone(Berlin);
        var options = GuardianApp.DefaultOptions(Folder) with { Schedule = CronSchedule.Parse("0 3 * * *"), BackupMinHours = 24 };
        await using var app = await GuardianApp.StartAsync(Broker, Folder, options, time: clock);
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        await Eventually.TrueAsync(() => app.LogText().Contains("next run at 2026-11-22 03:00:00 +01:00", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Equal(0, device.Downloads);

        clock.Advance(TimeSpan.FromSeconds(30));

        // The file is named after the instant the run began: 03:00:00, not a second before.
        var finished = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished", "the scheduled run"));
        Assert.Equal(1, (int)finished["backed_up"]!);
        var file = Assert.Single(Folder.BackupFiles());
        Assert.Contains($"{device.Mac}-2026-11-22_03_00_00-v13.1.0.dmp", file, StringComparison.Ordinal);
        Assert.Equal("schedule", Sql.Query(Folder.Database, "SELECT trigger FROM runs")[0]["trigger"]);
        await Eventually.TrueAsync(() => app.LogText().Contains("next run at 2026-11-23 03:00:00 +01:00", StringComparison.Ordinal), Waits.Short, () => app.LogText());
    }

    /// <summary>
    /// The default schedule and skip window, two nights in a row. On the first night the first device is slow, so the
    /// second one's turn comes 40 s into the run; on the second night it comes at once. Both nights back up both
    /// devices, also when the clocks change in between; a press of Backup all the same morning skips both.
    /// </summary>
    [Theory]
    [InlineData("Europe/Berlin", "2026-06-09")]
    [InlineData("Europe/Berlin", "2026-03-28")]
    [InlineData("Europe/Berlin", "2026-10-24")]
    [InlineData("America/New_York", "2026-06-09")]
    [InlineData("America/New_York", "2026-03-07")]
    [InlineData("America/New_York", "2026-10-31")]
    public async Task NightlyBackupAll_BacksUpEveryDeviceEveryNight_AndASecondPressTheSameDaySkips(string zoneId, string firstNight)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var night1 = DateOnly.Parse(firstNight, System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(Local(zone, night1, new TimeOnly(2, 59, 50)));
        clock.SetLocalTimeZone(zone);
        var firstNightRunning = true;
        await DiscoveredTasmotaAsync("A slow on the first night", d => d.WhileAnswering = () =>
        {
            if (Volatile.Read(ref firstNightRunning))
            {
                clock.Advance(TimeSpan.FromSeconds(40));
            }

            return Task.CompletedTask;
        });
        var late = await DiscoveredTasmotaAsync("B after it");
        var options = GuardianApp.DefaultOptions(Folder) with { Schedule = CronSchedule.Parse("0 3 * * *"), BackupMinHours = 24 };
        await using var app = await GuardianApp.StartAsync(Broker, Folder, options, time: clock);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "both devices");
        await WaitForScheduleAsync(app, zone, night1);

        clock.Advance(TimeSpan.FromSeconds(10));
        await WaitForRunAsync(1, backedUp: 2, skipped: 0);
        Assert.Equal(Local(zone, night1, new TimeOnly(3, 0, 40)), app.Get<TasmoGuardian.Devices.DeviceRegistry>().Find(TasmoGuardian.Devices.Mac.Parse(late.Mac))!.LastBackup);
        Volatile.Write(ref firstNightRunning, false);

        var night2 = night1.AddDays(1);
        await WaitForScheduleAsync(app, zone, night2);
        clock.Advance(Local(zone, night2, new TimeOnly(3, 0)) - clock.GetUtcNow());
        await WaitForRunAsync(2, backedUp: 2, skipped: 0);

        await PressAsync("tasmo_guardian/hub/backup_all");
        await WaitForRunAsync(3, backedUp: 0, skipped: 2);
    }

    private static DateTimeOffset Local(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        var wall = day.ToDateTime(time);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    private static Task WaitForScheduleAsync(GuardianApp app, TimeZoneInfo zone, DateOnly night)
    {
        var due = Local(zone, night, new TimeOnly(3, 0)).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);
        return Eventually.TrueAsync(() => app.LogText().Contains($"next run at {due}", StringComparison.Ordinal), Waits.Short, () => $"the schedule waiting for {due}: {app.LogText()}");
    }

    private async Task WaitForRunAsync(int run, int backedUp, int skipped)
    {
        await Eventually.TrueAsync(() => Events("backup_all_finished").Count == run, Waits.Long, () => Recorder.Summary());
        var finished = Events("backup_all_finished")[run - 1];
        Assert.Equal((backedUp, skipped, 0), ((int)finished["backed_up"]!, (int)finished["skipped"]!, (int)finished["failed"]!));
    }
}
