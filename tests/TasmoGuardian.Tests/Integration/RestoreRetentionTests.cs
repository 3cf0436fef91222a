using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// A restore never eats its own source: its pre-restore backup does not prune (keep_backups counts it at the next
/// ordinary backup), and "the newest backup" is the newest when asked, not when the queue reaches the restore.
/// </summary>
public sealed class RestoreRetentionTests : IntegrationContext
{
    private static readonly RestoreSettings QuickRestart = new() { RestartLimit = TimeSpan.FromSeconds(8), PollInterval = TimeSpan.FromMilliseconds(250) };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Restore_KeepsTheBackupItRestores_AndRetentionCatchesUpAtTheNextBackup(int keep)
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.RestartTime = TimeSpan.FromMilliseconds(500));
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { KeepBackups = keep }, Quick);
        var restored = await BackUpAsync(plug);
        if (keep == 2)
        {
            await BackUpAsync(plug);
        }

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"{{restored}}"}""");

        var done = await RestoreEndAsync();
        Assert.Equal(("restore_succeeded", restored), ((string?)done["event_type"], (string?)done["backup"]));
        Assert.True(File.Exists(Path.Combine(Folder.Backups, restored)), $"{restored} was pruned by its own restore");
        Assert.Equal(1, Sql.Scalar(Folder.Database, $"SELECT COUNT(*) FROM backups WHERE filename = '{restored}'"));
        Assert.Equal(keep + 1, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));

        // The next ordinary backup prunes down to keep_backups again, the restored one (now the oldest) first.
        await BackUpAsync(plug);
        await Eventually.TrueAsync(() => Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups") == keep, Waits.Long, () => "retention did not catch up");
        Assert.False(File.Exists(Path.Combine(Folder.Backups, restored)));
    }

    [Fact]
    public async Task RestoreLatest_IsTheNewestWhenAsked_NotABackupQueuedBeforeIt()
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.RestartTime = TimeSpan.FromMilliseconds(500));
        await using var app = await StartAppAsync(services: Quick);
        var newestWhenAsked = await BackUpAsync(plug);

        // A backup of the same device is in flight (its /dl held open) when the restore of "latest" arrives.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        plug.WhileAnswering = () => release.Task;
        var downloads = plug.Downloads;
        await PressAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => plug.Downloads > downloads, Waits.Long, () => "the second backup never started");
        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"latest"}""");
        await Eventually.TrueAsync(() => app.LogText().Contains("tasmo_guardian/cmnd/restore", StringComparison.Ordinal), Waits.Long, () => app.LogText());
        plug.WhileAnswering = null;
        release.SetResult();

        var done = await RestoreEndAsync();
        Assert.Equal("restore_succeeded", (string?)done["event_type"]);
        Assert.Equal(newestWhenAsked, (string?)done["backup"]);
        Assert.Equal(3, Events("backup_succeeded").Count);
    }

    private static void Quick(IServiceCollection services) => services.AddSingleton(QuickRestart);
}
