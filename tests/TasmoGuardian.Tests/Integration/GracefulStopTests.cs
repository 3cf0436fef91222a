using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>A graceful stop (SIGTERM) finishes the backup in flight, publishes its event, and only then says offline.</summary>
public sealed class GracefulStopTests : IntegrationContext
{
    [Fact]
    public async Task Stop_WithADeviceMidDownload_FinishesIt_PublishesItsEvent_ThenOffline()
    {
        var answering = new TaskCompletionSource();
        var device = await DiscoveredTasmotaAsync("Slow", d =>
        {
            d.Delay = TimeSpan.FromSeconds(2);
            d.WhileAnswering = () =>
            {
                answering.TrySetResult();
                return Task.CompletedTask;
            };
        });
        var waiting = await DiscoveredTasmotaAsync("Queued behind it");
        var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "both devices");
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
        await PressAsync($"tasmo_guardian/device/{waiting.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => device.Requests.Any(r => r.Path == "/dl"), Waits.Short, "the download to begin");

        // The second press must have reached the worker's queue before the stop, or the stop would not see it waiting.
        await Eventually.TrueAsync(() => app.LogText().Contains($"Backup of {waiting.Mac} queued", StringComparison.Ordinal), Waits.Short, "the second press to be queued");

        await app.StopAsync();

        // The file and its row, the event, then offline: in that order on the broker.
        var file = Assert.Single(Folder.BackupFiles());
        Assert.StartsWith("Slow/", file, StringComparison.Ordinal);
        ProcessTests.AssertFilesAndRowsAgree(Folder);

        // The broker acknowledged "offline" before the stop ended; the recorder may hear it a moment later.
        await Recorder.WaitForAsync("tasmo_guardian/status", "offline", Waits.Short);
        var topics = Recorder.Messages.Select(m => (m.Topic, Payload: m.PayloadAsString())).ToList();
        var succeeded = topics.FindIndex(m => m.Topic == "tasmo_guardian/event" && m.Payload.Contains("backup_succeeded", StringComparison.Ordinal));
        var offline = topics.FindIndex(m => m == ("tasmo_guardian/status", "offline"));
        Assert.True(succeeded >= 0 && offline > succeeded, Recorder.Summary());

        // The device still waiting was not started: nothing half done.
        Assert.Equal(0, waiting.Downloads);
        Assert.Contains("1 devices still waiting in the queue were not backed up", app.LogText(), StringComparison.Ordinal);
    }
}
