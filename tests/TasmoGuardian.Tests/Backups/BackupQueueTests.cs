using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Tests.Backups;

public sealed class BackupQueueTests
{
    private static readonly Mac A = Mac.Parse("A1A1A1A1A1A1");
    private static readonly Mac B = Mac.Parse("B2B2B2B2B2B2");
    private static readonly Mac C = Mac.Parse("C3C3C3C3C3C3");

    private static BackupRun Run() => new(BackupTrigger.Button, 3, DateTimeOffset.UnixEpoch, 0);

    [Fact]
    public void Take_ServesDevicesInTheOrderTheyWereQueued()
    {
        var queue = new BackupQueue();
        Assert.True(queue.Add(A, force: true, run: null));
        Assert.True(queue.Add(B, force: true, run: null));

        Assert.Equal(A, queue.Take()!.Mac);
        Assert.Equal(B, queue.Take()!.Mac);
        Assert.Null(queue.Take());
    }

    [Fact]
    public void Add_MergesARequestForADeviceAlreadyWaiting_WithoutQueuingItTwice()
    {
        var queue = new BackupQueue();
        queue.Add(A, force: true, run: null);

        Assert.False(queue.Add(A, force: true, run: null));
        Assert.Equal(1, queue.Waiting);
    }

    [Fact]
    public void Add_APressForADeviceABackupAllIsWaitingFor_MakesItExemptFromTheSkipRule()
    {
        var queue = new BackupQueue();
        var run = Run();
        queue.Add(A, force: false, run);

        Assert.False(queue.Add(A, force: true, run: null));
        var item = queue.Take()!;
        Assert.True(item.Force);
        Assert.Same(run, item.Run);
    }

    [Fact]
    public void Add_ABackupAllOverADeviceAPressQueued_CountsItTowardsTheRun_AndKeepsItExempt()
    {
        var queue = new BackupQueue();
        var run = Run();
        queue.Add(A, force: true, run: null);

        Assert.False(queue.Add(A, force: false, run));
        var item = queue.Take()!;
        Assert.True(item.Force);
        Assert.Same(run, item.Run);
    }

    [Fact]
    public void Add_ABackupAllOverADeviceInProgress_CountsItTowardsTheRun_WithoutStartingItAgain()
    {
        var queue = new BackupQueue();
        var run = Run();
        queue.Add(A, force: true, run: null);
        var inProgress = queue.Take()!;

        Assert.False(queue.Add(A, force: false, run));
        Assert.Same(run, inProgress.Run);
        Assert.Null(queue.Take());
    }

    [Fact]
    public void Add_APressForADeviceInProgress_IsMerged()
    {
        var queue = new BackupQueue();
        queue.Add(A, force: true, run: null);
        queue.Take();

        Assert.False(queue.Add(A, force: true, run: null));
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void Add_APressAfterTheDeviceFinished_QueuesItAgainAtTheEnd()
    {
        var queue = new BackupQueue();
        var run = Run();
        queue.Add(A, force: false, run);
        queue.Add(B, force: false, run);
        queue.Add(C, force: false, run);
        var first = queue.Take()!;
        queue.Finished(first);

        Assert.True(queue.Add(A, force: true, run: null));
        Assert.Equal([B, C, A], [queue.Take()!.Mac, queue.Take()!.Mac, queue.Take()!.Mac]);
    }

    [Fact]
    public void Add_KeepsTheFirstRun_WhenASecondRunMeetsADeviceAlreadyCounted()
    {
        var queue = new BackupQueue();
        var first = Run();
        queue.Add(A, force: false, first);

        queue.Add(A, force: false, Run());
        Assert.Same(first, queue.Take()!.Run);
    }
}
