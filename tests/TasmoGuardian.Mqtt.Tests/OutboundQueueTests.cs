using Microsoft.Extensions.Logging.Abstractions;

namespace TasmoGuardian.Mqtt.Tests;

/// <summary>The offline queue and the in-flight list: bounds, order, and whom a lost connection is blamed on.</summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public void LostConnection_CountsOnlyAgainstTheOldestMessageReallyWritten()
    {
        var queue = new OutboundQueue(capacity: 100, maxLosses: 5, NullLogger.Instance);
        var waited = Pending("waited-only");
        var written = Pending("written");
        queue.Flying(waited);
        queue.Flying(written);
        written.Written();

        queue.ConnectionLost();

        Assert.Equal((0, 1), (waited.Losses, written.Losses));
        Assert.Equal(["waited-only", "written"], queue.TakeWaiting().Select(p => p.Message.Topic));
    }

    [Fact]
    public void FiveLostConnections_DoNotDropAMessageThatNeverReachedThem()
    {
        var queue = new OutboundQueue(capacity: 100, maxLosses: 5, NullLogger.Instance);
        var innocent = Pending("event");
        for (var restart = 0; restart < 10; restart++)
        {
            // Each time it is handed to a connection that breaks before its bytes are written.
            foreach (var waiting in queue.TakeWaiting().DefaultIfEmpty(innocent))
            {
                queue.Flying(waiting);
            }

            queue.ConnectionLost();
        }

        Assert.False(innocent.Completion.IsCompleted);
        Assert.Equal(0, innocent.Losses);
        Assert.Equal(1, queue.WaitingCount);
    }

    [Fact]
    public async Task AMessageWrittenToEveryLostConnection_IsGivenUp_AfterTheLimit()
    {
        var queue = new OutboundQueue(capacity: 100, maxLosses: 3, NullLogger.Instance);
        var poison = Pending("poison");
        var next = Pending("next");
        queue.Wait(poison);
        queue.Wait(next);
        for (var restart = 0; restart < 3; restart++)
        {
            foreach (var waiting in queue.TakeWaiting())
            {
                queue.Flying(waiting);
                waiting.Written();
            }

            queue.ConnectionLost();
        }

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => poison.Completion);
        Assert.Equal(0, next.Losses);
        Assert.Equal(["next"], queue.TakeWaiting().Select(p => p.Message.Topic));
    }

    [Fact]
    public async Task FullQueue_DropsTheOldest_KeepingTheOrderOfTheRest()
    {
        var queue = new OutboundQueue(capacity: 2, maxLosses: 5, NullLogger.Instance);
        var messages = Enumerable.Range(1, 4).Select(i => Pending($"m{i}")).ToList();
        messages.ForEach(queue.Wait);

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => messages[0].Completion);
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => messages[1].Completion);
        Assert.Equal(["m3", "m4"], queue.TakeWaiting().Select(p => p.Message.Topic));
    }

    [Fact]
    public async Task MessagesHeldBehindTheWindow_AreNotBounded_UntilTheConnectionIsLost()
    {
        var queue = new OutboundQueue(capacity: 2, maxLosses: 5, NullLogger.Instance);
        var flying = Pending("flying");
        queue.Flying(flying);
        var held = Enumerable.Range(1, 3).Select(i => Pending($"h{i}")).ToList();
        held.ForEach(queue.Hold);

        Assert.Equal(3, queue.WaitingCount);
        queue.ConnectionLost();

        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => flying.Completion);
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => held[0].Completion);
        Assert.Equal(["h2", "h3"], queue.TakeWaiting().Select(p => p.Message.Topic));
    }

    private static PendingPublish Pending(string topic) =>
        new(MqttMessage.FromString(topic, "x", MqttQualityOfService.AtLeastOnce));
}
