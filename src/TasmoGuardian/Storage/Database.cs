using Microsoft.Data.Sqlite;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Storage;

/// <summary>The SQLite file: connections (one per operation) and migrations.</summary>
internal sealed class Database
{
    private readonly string _connectionString;

    public Database(GuardianPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        FilePath = Path.GetFullPath(paths.DatabaseFile);
        SnapshotPath = Path.GetFullPath(paths.DatabaseSnapshotFile);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public string SnapshotPath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL survives a power cut with the last commits intact; NORMAL is safe with WAL and far faster on SD cards.
        // The database is a few hundred kilobytes: 256 KiB of page cache per pooled connection is plenty (default 2 MiB).
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -256;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Writes a consistent copy of the database to <see cref="SnapshotPath"/> while the program may be running.
    /// VACUUM INTO reads inside one transaction, so the copy holds exactly the commits made before it began; in WAL
    /// mode that read blocks no writer. Written to a temporary name and renamed, so a copy is whole or absent.
    /// </summary>
    public async Task SnapshotAsync(CancellationToken cancellationToken)
    {
        var temporary = SnapshotPath + ".tmp";
        File.Delete(temporary);
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var vacuum = connection.CreateCommand())
        {
            vacuum.CommandText = "VACUUM INTO $path;";
            vacuum.Parameters.AddWithValue("$path", temporary);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        OwnerOnly.Tighten(temporary, OwnerOnly.FileMode);
        File.Move(temporary, SnapshotPath, overwrite: true);
    }

    /// <summary>
    /// After Home Assistant restored one of its backups, the data folder holds the snapshot and no database: the
    /// snapshot becomes the database. Beside a live database a snapshot is only a stale copy, and goes.
    /// </summary>
    /// <returns>True when the database was taken from the snapshot.</returns>
    public bool AdoptSnapshot()
    {
        if (!File.Exists(SnapshotPath))
        {
            return false;
        }

        if (File.Exists(FilePath))
        {
            File.Delete(SnapshotPath);
            return false;
        }

        File.Move(SnapshotPath, FilePath);
        return true;
    }

    /// <returns>The schema version before and after.</returns>
    public async Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken)
    {
        OwnerOnly.CreateFolder(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteScalarAsync(cancellationToken);
        }

        // SQLite gives its -wal and -shm files the database file's permissions.
        foreach (var file in new[] { FilePath, FilePath + "-wal", FilePath + "-shm", SnapshotPath })
        {
            if (File.Exists(file))
            {
                OwnerOnly.Tighten(file, OwnerOnly.FileMode);
            }
        }

        var from = await UserVersionAsync(connection, cancellationToken);
        if (from > Migrations.LatestVersion)
        {
            // Written by a newer version (a downgrade). Its migrations only ever add, so while every table and column
            // this version uses is there, it works on the file as it is and leaves the rest alone.
            if (await MissingColumnAsync(connection, cancellationToken) is { } missing)
            {
                throw new InvalidOperationException(
                    $"The database {FilePath} has schema version {from}, newer than this program knows ({Migrations.LatestVersion}), and lacks {missing}, which this version needs. Update the add-on.");
            }

            return (from, Migrations.LatestVersion);
        }

        for (var version = from; version < Migrations.LatestVersion; version++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = $"{Migrations.Steps[version]}\nPRAGMA user_version = {version + 1};";
            await step.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (from, Migrations.LatestVersion);
    }

    /// <summary>The first table or column (as "table.column") the current schema has and the given database lacks; null when none.</summary>
    private static async Task<string?> MissingColumnAsync(SqliteConnection database, CancellationToken cancellationToken)
    {
        await using var expected = new SqliteConnection("Data Source=:memory:");
        await expected.OpenAsync(cancellationToken);
        foreach (var step in Migrations.Steps)
        {
            await using var command = expected.CreateCommand();
            command.CommandText = step;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var have = await ColumnsAsync(database, cancellationToken);
        return (await ColumnsAsync(expected, cancellationToken)).FirstOrDefault(c => !have.Contains(c));
    }

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%';";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
