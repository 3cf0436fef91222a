using TasmoGuardian.Backups.Files;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Backups;

/// <summary>What a restart finds after a crash at each step of a backup, and how it is put right.</summary>
public sealed class BackupReconcilerTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Restart_RemovesTemporaryFiles_LeftByACrashDuringTheWrite()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        await services.SaveAndRecordAsync(device, When);
        var folder = Path.Combine(_folder.Backups, "Kitchen");
        await File.WriteAllBytesAsync(Path.Combine(folder, ".tg-0123456789abcdef.tmp"), new byte[100]);

        await services.RestartAsync();

        Assert.Single(_folder.BackupFiles());
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Restart_RecordsAFinishedFile_WhoseRowWasNeverCommitted()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        await services.SaveAndRecordAsync(device, When);

        // The crash came between the rename and the commit: a whole file, no row.
        var content = TasmotaDumpBuilder.Build(seed: 7);
        var orphan = await services.Files.SaveAsync(device, content, "dmp", "13.1.0", When.AddHours(1), CancellationToken.None);

        await services.RestartAsync();

        var rows = Sql.Query(_folder.Database, "SELECT filename, size, sha256, version, created FROM backups ORDER BY id");
        Assert.Equal(2, rows.Count);
        Assert.Equal(orphan.RelativePath, rows[1]["filename"]);
        Assert.Equal(4096L, rows[1]["size"]);
        Assert.Equal(orphan.Sha256, rows[1]["sha256"]);
        Assert.Equal("2026-11-22T04:00:00Z", rows[1]["created"]);
        var summary = Sql.Query(_folder.Database, "SELECT noofbackups, lastbackup FROM devices")[0];
        Assert.Equal((2L, "2026-11-22T04:00:00Z"), ((long)summary["noofbackups"]!, (string)summary["lastbackup"]!));
    }

    [Fact]
    public async Task Restart_RecordsAFinishedPair_WithItsUserFiles()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var orphan = await services.Files.SaveAsync(device, TasmotaDumpBuilder.Build(seed: 7), new byte[] { 1, 2, 3 }, "dmp", "14.6.0", When, CancellationToken.None);

        await services.RestartAsync();

        var row = Sql.Query(_folder.Database, "SELECT filename, files_filename FROM backups").Single();
        Assert.Equal((orphan.RelativePath, orphan.FilesRelativePath), ((string?)row["filename"], (string?)row["files_filename"]));
        Assert.EndsWith("-v14.6.0.files.zip", orphan.FilesRelativePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_RemovesUserFiles_WhoseMainFileNeverTookItsName()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var kept = await services.SaveAndRecordAsync(device, When, userFiles: [1]);

        // The crash came between the two renames: the user files are in place, the dump is not.
        var half = Path.Combine(_folder.Backups, "Kitchen", "A1B2C3D4E5F6-2026-11-22_05_00_00-v14.6.0.files.zip");
        await File.WriteAllBytesAsync(half, [9]);
        var foreign = Path.Combine(_folder.Backups, "Kitchen", "FFEEDDCCBBAA-2026-11-22_05_00_00-v14.6.0.files.zip");
        await File.WriteAllBytesAsync(foreign, [9]);

        await services.RestartAsync();

        Assert.Equal([kept.RelativePath, kept.FilesRelativePath!, "Kitchen/FFEEDDCCBBAA-2026-11-22_05_00_00-v14.6.0.files.zip"], _folder.BackupFiles().Order(StringComparer.Ordinal).ToList());
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Restart_KeepsABackupWhoseUserFilesAreGone_AndForgetsOnlyThem()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var saved = await services.SaveAndRecordAsync(device, When, userFiles: [1]);
        File.Delete(Path.Combine(_folder.Backups, saved.FilesRelativePath!));

        await services.RestartAsync();

        var row = Sql.Query(_folder.Database, "SELECT filename, files_filename FROM backups").Single();
        Assert.Equal((saved.RelativePath, null), ((string?)row["filename"], (string?)row["files_filename"]));
    }

    [Fact]
    public async Task Restart_ForgettingARowWhoseDumpIsGone_RemovesItsUserFilesToo()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var saved = await services.SaveAndRecordAsync(device, When, userFiles: [1]);
        File.Delete(Path.Combine(_folder.Backups, saved.RelativePath));

        await services.RestartAsync();

        Assert.Empty(_folder.BackupFiles());
        Assert.Equal(0, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Restart_ForgetsRows_WhoseFileIsGone_AndRecounts()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var first = await services.SaveAndRecordAsync(device, When);
        await services.SaveAndRecordAsync(device, When.AddHours(1));
        File.Delete(Path.Combine(_folder.Backups, first.RelativePath));

        await services.RestartAsync();

        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT noofbackups FROM devices"));
    }

    [Fact]
    public async Task Restart_LeavesFilesItDidNotWrite_Alone()
    {
        var services = new Services(_folder);
        await services.AddDeviceAsync();
        var foreign = Path.Combine(_folder.Backups, "Someone else", "FFEEDDCCBBAA-2026-01-01_00_00_00-v1.0.0.dmp");
        var notes = Path.Combine(_folder.Backups, "Kitchen", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(foreign)!);
        Directory.CreateDirectory(Path.GetDirectoryName(notes)!);
        await File.WriteAllTextAsync(foreign, "x");
        await File.WriteAllTextAsync(notes, "mine");

        await services.RestartAsync();

        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(notes));
        Assert.Equal(0, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    // The backups are away, not lost: a missing backup_dir or most files gone at once forgets nothing.
    [Fact]
    public async Task Restart_ForgetsNothing_WhenBackupDirIsMissing_AndTheRowsAreWholeWhenItIsBack()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        for (var i = 0; i < 3; i++)
        {
            await services.SaveAndRecordAsync(device, When.AddHours(i));
        }

        var elsewhere = _folder.Backups + ".renamed";
        Directory.Move(_folder.Backups, elsewhere);

        await services.RestartAsync();

        Assert.Equal(3, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(3, Sql.Scalar(_folder.Database, "SELECT noofbackups FROM devices"));
        Assert.True(services.Storage.IsAway);
        Assert.Contains("does not exist", services.Problems.Snapshot().Single().Reason, StringComparison.Ordinal);
        Assert.True(await services.Reconciler.RecheckAsync(CancellationToken.None));

        Directory.Move(elsewhere, _folder.Backups);
        Assert.False(await services.Reconciler.RecheckAsync(CancellationToken.None));
        Assert.False(services.Storage.IsAway);
        Assert.Empty(services.Problems.Snapshot());
        Assert.Equal(3, _folder.BackupFiles().Count);
    }

    [Fact]
    public async Task Restart_ForgetsNothing_WhenMostRecordedFilesAreGoneAtOnce_UntilTheUserSaysSo()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var saved = new List<SavedBackup>();
        for (var i = 0; i < 3; i++)
        {
            saved.Add(await services.SaveAndRecordAsync(device, When.AddHours(i), userFiles: [1, 2, 3]));
        }

        File.Delete(Path.Combine(_folder.Backups, saved[0].RelativePath));
        File.Delete(Path.Combine(_folder.Backups, saved[1].RelativePath));

        await services.RestartAsync();

        Assert.Equal(3, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(3, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups WHERE files_filename IS NOT NULL"));
        Assert.True(File.Exists(Path.Combine(_folder.Backups, saved[0].FilesRelativePath!)), "a user file of a missing backup was deleted");
        Assert.Contains("2 of the 3 backups", services.Problems.Snapshot().Single().Reason, StringComparison.Ordinal);

        var forgotten = await services.Reconciler.ForgetMissingAsync(services.Registry, CancellationToken.None);

        Assert.Equal(2, forgotten);
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(1, services.Registry.Find(device.Mac)!.NoOfBackups);
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT noofbackups FROM devices"));
        Assert.False(services.Storage.IsAway);
    }

    [Fact]
    public async Task Restart_AdoptedFile_KeepsThePlatformItsDumpTells()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        await services.Files.SaveAsync(device, TasmotaDumpBuilder.Build(platform: 1, seed: 7), "dmp", "13.1.0", When, CancellationToken.None);

        await services.RestartAsync();

        Assert.Equal("ESP32", (string?)Sql.Query(_folder.Database, "SELECT platform FROM backups").Single()["platform"]);
    }
}
