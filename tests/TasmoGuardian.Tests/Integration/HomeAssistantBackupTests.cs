using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// Home Assistant backs /data up while the add-on runs: config.yaml's backup_pre makes a consistent copy of the
/// database, backup_exclude leaves the live files out, and a restored backup starts from that copy.
/// </summary>
public sealed class HomeAssistantBackupTests : IntegrationContext
{
    private static readonly string[] Excluded = ["tasmo_guardian.db", "tasmo_guardian.db-wal", "tasmo_guardian.db-shm"];

    [Fact]
    public async Task CopyTakenDuringABackupAll_IsConsistent_AndARestoreFromItAgreesWithTheFiles()
    {
        for (var i = 0; i < 12; i++)
        {
            await DiscoveredTasmotaAsync($"Plug {i:00}", d => d.Delay = TimeSpan.FromMilliseconds(150));
        }

        var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 12, "all devices");
        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count >= 4, Waits.Long, () => Recorder.Summary());

        // What the Supervisor does: run backup_pre inside the container, then copy /data without the excluded files.
        await using (var snapshot = GuardianProcess.Start(["--snapshot-database", "--data-dir", Folder.Data]))
        {
            Assert.Equal(0, await snapshot.WaitForExitAsync(Waits.Long));
        }

        using var restored = new TestFolder();
        foreach (var file in Directory.EnumerateFiles(Folder.Data).Where(f => !Excluded.Contains(Path.GetFileName(f))))
        {
            File.Copy(file, Path.Combine(restored.Data, Path.GetFileName(file)));
        }

        var copy = Path.Combine(restored.Data, "tasmo_guardian.snapshot.db");
        Assert.Equal(["tasmo_guardian.snapshot.db"], Directory.EnumerateFiles(restored.Data).Select(Path.GetFileName));
        Assert.Equal("ok", Sql.Query(copy, "PRAGMA integrity_check")[0].Values.Single());
        var rows = Sql.Query(copy, "SELECT filename FROM backups").Select(r => (string)r["filename"]!).ToList();
        Assert.InRange(rows.Count, 4, 12);
        Assert.All(rows, row => Assert.Contains(row, Folder.BackupFiles()));
        Assert.Equal(rows.Count, Sql.Scalar(copy, "SELECT SUM(noofbackups) FROM devices"));

        await Eventually.TrueAsync(() => Events("backup_all_finished").Count == 1, Waits.Long, () => Recorder.Summary());
        await app.StopAsync();

        // Restored: the copy becomes the database, and the backups made after the copy are recorded from their files.
        var options = GuardianApp.DefaultOptions(Folder);
        await using var again = Own(await GuardianApp.StartAsync(Broker, restored, options));
        Assert.Contains("No database, but", again.LogText(), StringComparison.Ordinal);
        Assert.False(File.Exists(copy));
        ProcessTests.AssertFilesAndRowsAgree(restored.Database, Folder);
        Assert.Equal(12, Sql.Scalar(restored.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Snapshot_WithoutADatabaseYet_IsNotAnError()
    {
        await using var snapshot = GuardianProcess.Start(["--snapshot-database", "--data-dir", Folder.Data]);

        Assert.Equal(0, await snapshot.WaitForExitAsync(Waits.Long));
        Assert.Contains("nothing to copy", snapshot.Output, StringComparison.Ordinal);
    }
}
