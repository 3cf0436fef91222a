using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Tests.Devices;

public sealed class BackupProblemTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly Device Fine = new() { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Type = DeviceType.Tasmota, FirstSeen = Now.AddDays(-30), LastBackup = Now.AddDays(-1), LastResult = BackupResultState.Success };

    [Fact]
    public void NoProblem_WhenTheNewestBackupIsRecent() => Assert.Null(BackupProblem.Of(Fine, Now, 7));

    [Fact]
    public void Problem_WhenTheLastAttemptFailed_WhateverTheAge() =>
        Assert.Equal("the last backup failed: wrong password (HTTP 401)", BackupProblem.Of(Fine with { LastResult = BackupResultState.Failed, LastReason = "wrong password (HTTP 401)" }, Now, 7));

    [Theory]
    [InlineData(7, 6.99, false)]
    [InlineData(7, 7, true)]
    [InlineData(7, 30, true)]
    [InlineData(1, 1.5, true)]
    [InlineData(0, 3000, false)]
    public void Problem_WhenTheNewestBackupIsOlderThanStaleDays(int staleDays, double ageDays, bool problem) =>
        Assert.Equal(problem, BackupProblem.Of(Fine with { LastBackup = Now.AddDays(-ageDays) }, Now, staleDays) is not null);

    [Fact]
    public void NeverBackedUp_CountsFromItsFirstSighting()
    {
        var newcomer = Fine with { LastBackup = null, LastResult = BackupResultState.Never, FirstSeen = Now.AddDays(-2) };
        var forgotten = newcomer with { FirstSeen = Now.AddDays(-9) };

        Assert.Null(BackupProblem.Of(newcomer, Now, 7));
        Assert.Equal("never backed up in the 9 days since it was found", BackupProblem.Of(forgotten, Now, 7));
        Assert.Equal(Now.AddDays(5), BackupProblem.StaleSince(newcomer, 7));
    }

    [Fact]
    public void Problem_SaysHowOld()
    {
        Assert.Equal("the newest backup is 12 days old", BackupProblem.Of(Fine with { LastBackup = Now.AddDays(-12.5) }, Now, 7));
        Assert.Equal(Fine.LastBackup!.Value.AddDays(7), BackupProblem.StaleSince(Fine, 7));
        Assert.Null(BackupProblem.StaleSince(Fine, 0));
    }
}
