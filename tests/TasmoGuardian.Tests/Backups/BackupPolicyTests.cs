using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Tests.Backups;

public sealed class BackupPolicyTests
{
    private static readonly DateTimeOffset RunStarted = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Theory]

    // The default 24 h: skipped while younger than 21.6 h.
    [InlineData(24, 1, true)]
    [InlineData(24, 21.59, true)]
    [InlineData(24, 21.6, false)]
    [InlineData(24, 23, false)]
    [InlineData(24, 23.999, false)]
    [InlineData(24, 24, false)]
    [InlineData(24, 25, false)]

    // Other windows scale the same way.
    [InlineData(1, 0.5, true)]
    [InlineData(1, 0.9, false)]
    [InlineData(168, 151, true)]
    [InlineData(168, 151.21, false)]
    [InlineData(8760, 7883, true)]
    [InlineData(8760, 7884, false)]

    // 0 never skips.
    [InlineData(0, 0.001, false)]
    public void ShouldSkip_WhenYoungerThanNinetyPercentOfTheWindow(int minHours, double hoursAgo, bool skip) =>
        Assert.Equal(skip, BackupPolicy.ShouldSkip(RunStarted.AddHours(-hoursAgo), RunStarted, minHours));

    [Fact]
    public void ShouldSkip_Never_WhenTheDeviceWasNeverBackedUp() =>
        Assert.False(BackupPolicy.ShouldSkip(null, RunStarted, 24));

    [Fact]
    public void ShouldSkip_NotLastNightsLateDevice_WhenTonightsRunReachesItSooner()
    {
        // Last night the device's turn came 40 s into the run; tonight the run starts at the same minute. Measured at
        // the run's start, 23 h 59 min 20 s have passed: backed up, every night.
        var lastNight = RunStarted.AddDays(-1).AddSeconds(40);
        Assert.False(BackupPolicy.ShouldSkip(lastNight, RunStarted, 24));
    }

    [Fact]
    public void ShouldSkip_NotOnTheNightTheClocksSpringForward()
    {
        // 03:00 in Berlin on 28 and 29 March 2026 are 23 hours apart.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var saturday = new DateTimeOffset(2026, 3, 28, 3, 0, 0, berlin.GetUtcOffset(new DateTime(2026, 3, 28, 3, 0, 0)));
        var sunday = new DateTimeOffset(2026, 3, 29, 3, 0, 0, berlin.GetUtcOffset(new DateTime(2026, 3, 29, 3, 0, 0)));
        Assert.Equal(TimeSpan.FromHours(23), sunday - saturday);
        Assert.False(BackupPolicy.ShouldSkip(saturday.AddSeconds(5), sunday, 24));
    }

    [Theory]
    [InlineData(false, true, 1.0, null, "Skip")]
    [InlineData(true, true, 1.0, null, "BackUp")]
    [InlineData(false, false, 1.0, null, "BackUp")]
    [InlineData(false, true, 30.0, false, "Offline")]
    [InlineData(false, true, 30.0, true, "BackUp")]
    [InlineData(false, true, 30.0, null, "BackUp")]
    [InlineData(true, true, 30.0, false, "BackUp")]
    public void Decide_SkipsAndFailsOfflineDevices_OnlyInABackupAll(bool force, bool inRun, double hoursAgo, bool? online, string expected)
    {
        var device = new TasmoGuardian.Devices.Device { Mac = TasmoGuardian.Devices.Mac.Parse("A1B2C3D4E5F6"), Name = "Plug", LastBackup = RunStarted.AddHours(-hoursAgo), Online = online };
        var item = new QueuedBackup(device.Mac) { Force = force, Run = inRun ? new BackupRun(BackupTrigger.Schedule, 1, RunStarted, 0) : null };
        Assert.Equal(expected, BackupPolicy.Decide(item, device, 24).ToString());
    }
}
