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
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 59, 30, TimeSpan.Zero), Berlin);
        var options = GuardianApp.DefaultOptions(Folder) with { Schedule = CronSchedule.Parse("0 3 * * *"), BackupMinHours = 24 };
        await using var app = await GuardianApp.StartAsync(Broker, Folder, options, time: clock);
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        await Eventually.TrueAsync(() => app.LogText().Contains("next run at 2026-11-22 03:00:00 +01:00", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Equal(0, device.Downloads);

        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        Assert.Equal(0, device.Downloads);
        clock.Advance(TimeSpan.FromSeconds(1));

        var finished = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished", "the scheduled run"));
        Assert.Equal(1, (int)finished["backed_up"]!);
        var file = Assert.Single(Folder.BackupFiles());
        Assert.Contains($"{device.Mac}-2026-11-22_03_00_00-v13.1.0.dmp", file, StringComparison.Ordinal);
        Assert.Equal("schedule", Sql.Query(Folder.Database, "SELECT trigger FROM runs")[0]["trigger"]);
        await Eventually.TrueAsync(() => app.LogText().Contains("next run at 2026-11-23 03:00:00 +01:00", StringComparison.Ordinal), Waits.Short, () => app.LogText());
    }
}
