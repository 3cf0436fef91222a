using TasmoGuardian.Backups;

namespace TasmoGuardian.Tests.Backups;

public sealed class BackupPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(24, -23.99, true)]
    [InlineData(24, -24, false)]
    [InlineData(24, -24.01, false)]
    [InlineData(1, -0.5, true)]
    [InlineData(0, -0.01, false)]
    [InlineData(8760, -8759, true)]
    public void ShouldSkip_OnlyWithinTheWindow(int minHours, double hoursAgo, bool skip) =>
        Assert.Equal(skip, BackupPolicy.ShouldSkip(Now.AddHours(hoursAgo), Now, minHours));

    [Fact]
    public void ShouldSkip_Never_WhenTheDeviceWasNeverBackedUp() =>
        Assert.False(BackupPolicy.ShouldSkip(null, Now, 24));

    [Fact]
    public void ShouldSkip_AtTheExactBoundary_BacksUp()
    {
        // A daily schedule with backup_min_hours 24 must not skip every other day because the clock hit the same second.
        Assert.False(BackupPolicy.ShouldSkip(Now - TimeSpan.FromHours(24), Now, 24));
        Assert.True(BackupPolicy.ShouldSkip(Now - TimeSpan.FromHours(24) + TimeSpan.FromTicks(1), Now, 24));
    }
}
