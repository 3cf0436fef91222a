using Microsoft.Data.Sqlite;
using TasmoGuardian.Configuration;
using TasmoGuardian.Storage;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Storage;

public sealed class DatabaseTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Migrate_CreatesTheContractsTables_OnAFreshFile()
    {
        var database = new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data));

        var (from, to) = await database.MigrateAsync(CancellationToken.None);

        Assert.Equal((0, Migrations.LatestVersion), (from, to));
        Assert.Equal(Migrations.LatestVersion, Sql.Scalar(_folder.Database, "PRAGMA user_version"));
        var deviceColumns = Sql.Query(_folder.Database, "PRAGMA table_info(devices)").Select(r => (string)r["name"]!).ToList();
        Assert.Subset(deviceColumns.ToHashSet(), new HashSet<string> { "id", "mac", "name", "ip", "type", "version", "lastbackup", "noofbackups" });
        var backupColumns = Sql.Query(_folder.Database, "PRAGMA table_info(backups)").Select(r => (string)r["name"]!).ToList();
        Assert.Subset(backupColumns.ToHashSet(), new HashSet<string> { "id", "device_id", "filename", "size", "sha256", "version", "created" });
        Assert.Equal("wal", Sql.Query(_folder.Database, "PRAGMA journal_mode")[0].Values.First());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Migrate_MakesTheDatabaseOwnerOnly_ItHoldsNoPasswordsButNamesEveryDevice()
    {
        var database = new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data));
        await database.MigrateAsync(CancellationToken.None);
        File.SetUnixFileMode(_folder.Database, (UnixFileMode)0b110_100_100);

        await database.MigrateAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_folder.Database));
    }

    // After a downgrade: a newer version's schema is used as it is while every column this version needs is there.
    [Fact]
    public async Task Migrate_WorksOnANewerSchema_ThatOnlyAdded()
    {
        var database = new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data));
        await database.MigrateAsync(CancellationToken.None);
        Sql.Execute(_folder.Database, $"ALTER TABLE devices ADD COLUMN future TEXT; CREATE TABLE diffs (id INTEGER); PRAGMA user_version = {Migrations.LatestVersion + 3};");

        var (from, to) = await database.MigrateAsync(CancellationToken.None);

        Assert.Equal((Migrations.LatestVersion + 3, Migrations.LatestVersion), (from, to));
        Assert.Equal(Migrations.LatestVersion + 3, Sql.Scalar(_folder.Database, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Migrate_RefusesANewerSchema_ThatLacksAColumnThisVersionUses_NamingIt()
    {
        var database = new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data));
        await database.MigrateAsync(CancellationToken.None);
        Sql.Execute(_folder.Database, $"ALTER TABLE backups DROP COLUMN platform; PRAGMA user_version = {Migrations.LatestVersion + 1};");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync(CancellationToken.None));

        Assert.Contains("lacks backups.platform", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CarriesAVersion1DatabaseForward_KeepingItsRows()
    {
        using (var connection = new SqliteConnection($"Data Source={_folder.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Migrations.Steps[0] + """
                PRAGMA user_version = 1;
                INSERT INTO devices (mac, name, ip, type, version, lastbackup, noofbackups) VALUES ('A1B2C3D4E5F6', 'Old plug', '10.0.0.9', 0, '9.1.0', '2024-01-02T03:04:05Z', 1);
                INSERT INTO devices (mac, name, ip, type, version, lastbackup, noofbackups) VALUES ('A1B2C3D4E5F7', 'Never', '10.0.0.8', 1, NULL, NULL, 0);
                INSERT INTO backups (device_id, filename, size, sha256, version, created) VALUES (1, 'Old plug/x.dmp', 4096, 'ab', '9.1.0', '2024-01-02T03:04:05Z');
                """;
            command.ExecuteNonQuery();
        }

        var database = new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data));
        var (from, to) = await database.MigrateAsync(CancellationToken.None);
        var again = await database.MigrateAsync(CancellationToken.None);

        Assert.Equal((1, Migrations.LatestVersion), (from, to));
        Assert.Equal((Migrations.LatestVersion, Migrations.LatestVersion), again);
        var devices = (await new DeviceStore(database).LoadAllAsync(CancellationToken.None)).Known;
        Assert.Equal(["Old plug", "Never"], devices.Select(d => d.Name));
        Assert.Equal(TasmoGuardian.Devices.BackupResultState.Success, devices[0].LastResult);
        Assert.Equal(TasmoGuardian.Devices.BackupResultState.Never, devices[1].LastResult);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), devices[0].LastBackup);
        Assert.Equal(1, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Migrate_CarriesA020DatabaseForward_ToTheRestoreSchema()
    {
        // A 0.2.0 database: steps 1 to 4, a device and its backup.
        using (var connection = new SqliteConnection($"Data Source={_folder.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Join("\n", Migrations.Steps.Take(4)) + """
                PRAGMA user_version = 4;
                INSERT INTO devices (mac, name, ip, type, version, lastbackup, noofbackups) VALUES ('A1B2C3D4E5F6', 'Plug', '10.0.0.9', 0, '13.1.0', '2026-11-24T03:00:05Z', 1);
                INSERT INTO backups (device_id, filename, size, sha256, version, created) VALUES (1, 'Plug/x.dmp', 4096, 'ab', '13.1.0', '2026-11-24T03:00:05Z');
                """;
            command.ExecuteNonQuery();
        }

        var (from, to) = await new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data)).MigrateAsync(CancellationToken.None);

        Assert.Equal((4, Migrations.LatestVersion), (from, to));
        var backup = Sql.Query(_folder.Database, "SELECT filename, platform, files_filename FROM backups").Single();
        Assert.Equal(("Plug/x.dmp", null, null), ((string?)backup["filename"], backup["platform"], backup["files_filename"]));
        var restoreColumns = Sql.Query(_folder.Database, "PRAGMA table_info(restores)").Select(r => (string)r["name"]!).ToHashSet();
        Assert.Subset(restoreColumns, new HashSet<string> { "id", "device_id", "backup_id", "started", "finished", "result", "reason", "pre_restore_backup_id" });
        Assert.Equal(0, Sql.Scalar(_folder.Database, "SELECT COUNT(*) FROM restores"));
    }

    [Fact]
    public async Task Migrate_Refuses_ADatabaseFromANewerRelease()
    {
        using (var connection = new SqliteConnection($"Data Source={_folder.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new Database(new GuardianPaths(_folder.OptionsFile, _folder.Data)).MigrateAsync(CancellationToken.None));

        Assert.Contains("schema version 99, newer than this program knows", ex.Message, StringComparison.Ordinal);
    }
}
