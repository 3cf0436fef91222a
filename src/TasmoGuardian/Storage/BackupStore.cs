using Microsoft.Data.Sqlite;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Storage;

/// <summary>The <c>backups</c> table, and the device's <c>lastbackup</c>/<c>noofbackups</c> kept in step with it in one transaction.</summary>
internal sealed class BackupStore
{
    private const string InsertRow = """
        INSERT INTO backups (device_id, filename, size, sha256, version, created, platform, files_filename)
        VALUES ($device_id, $filename, $size, $sha256, $version, $created, $platform, $files_filename)
        RETURNING id;
        """;

    private const string Recount = """
        UPDATE devices SET
            noofbackups = (SELECT COUNT(*) FROM backups b WHERE b.device_id = devices.id),
            lastbackup  = (SELECT MAX(created) FROM backups b WHERE b.device_id = devices.id),
            last_size   = COALESCE((SELECT size FROM backups b WHERE b.device_id = devices.id ORDER BY created DESC, id DESC LIMIT 1), last_size)
        WHERE id = $device_id;
        """;

    private const string RecountAll = """
        UPDATE devices SET
            noofbackups = (SELECT COUNT(*) FROM backups b WHERE b.device_id = devices.id),
            lastbackup  = (SELECT MAX(created) FROM backups b WHERE b.device_id = devices.id),
            last_size   = COALESCE((SELECT size FROM backups b WHERE b.device_id = devices.id ORDER BY created DESC, id DESC LIMIT 1), last_size);
        """;

    private const string MarkSuccess = """
        UPDATE devices SET last_result = $success, last_reason = NULL, last_attempt = $attempt WHERE id = $device_id;
        """;

    private const string ReadSummary = "SELECT noofbackups, lastbackup, last_size FROM devices WHERE id = $device_id;";

    private const string SelectColumns = "SELECT id, device_id, filename, size, sha256, version, created, platform, files_filename FROM backups";

    private readonly Database _database;

    public BackupStore(Database database)
    {
        _database = database;
    }

    /// <summary>Records a saved backup and marks the device's last result a success, all or nothing.</summary>
    /// <returns>The device's counts afterwards, and the new row's id.</returns>
    public async Task<(BackupSummary Summary, long Id)> RecordSuccessAsync(BackupRecord record, DateTimeOffset attempt, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var id = await ScalarAsync(connection, transaction, InsertRow, cancellationToken, BindRow(record));
        await ExecuteAsync(connection, transaction, Recount, cancellationToken, ("$device_id", record.DeviceId));
        await ExecuteAsync(connection, transaction, MarkSuccess, cancellationToken,
            ("$device_id", record.DeviceId), ("$success", (int)BackupResultState.Success), ("$attempt", SqlTime.Write(attempt)));
        var summary = await SummaryAsync(connection, transaction, record.DeviceId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (summary, id);
    }

    /// <summary>Newest first.</summary>
    public async Task<List<BackupRecord>> ListAsync(long deviceId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectColumns} WHERE device_id = $device_id ORDER BY created DESC, id DESC;";
        command.Parameters.AddWithValue("$device_id", deviceId);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<List<BackupRecord>> ListAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectColumns} ORDER BY id;";
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Deletes rows (whose files are gone) and recounts their device.</summary>
    public async Task<BackupSummary> DeleteAsync(long deviceId, IReadOnlyCollection<long> backupIds, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in backupIds)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM backups WHERE id = $id AND device_id = $device_id;", cancellationToken, ("$id", id), ("$device_id", deviceId));
        }

        await ExecuteAsync(connection, transaction, Recount, cancellationToken, ("$device_id", deviceId));
        var summary = await SummaryAsync(connection, transaction, deviceId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return summary;
    }

    /// <summary>Start-up repair after a crash: forget rows whose file is gone and user files that are gone, adopt finished files that lack a row, recount.</summary>
    public async Task ReconcileAsync(IReadOnlyCollection<long> missingFiles, IReadOnlyCollection<BackupRecord> adopted, IReadOnlyCollection<long> missingUserFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(missingFiles);
        ArgumentNullException.ThrowIfNull(adopted);
        ArgumentNullException.ThrowIfNull(missingUserFiles);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in missingFiles)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM backups WHERE id = $id;", cancellationToken, ("$id", id));
        }

        foreach (var id in missingUserFiles)
        {
            await ExecuteAsync(connection, transaction, "UPDATE backups SET files_filename = NULL WHERE id = $id;", cancellationToken, ("$id", id));
        }

        foreach (var record in adopted)
        {
            await ExecuteAsync(connection, transaction, InsertRow, cancellationToken, BindRow(record));
        }

        await ExecuteAsync(connection, transaction, RecountAll, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static (string, object?)[] BindRow(BackupRecord record) =>
    [
        ("$device_id", record.DeviceId),
        ("$filename", record.FileName),
        ("$size", record.Size),
        ("$sha256", record.Sha256),
        ("$version", record.Version),
        ("$created", SqlTime.Write(record.Created)),
        ("$platform", record.Platform),
        ("$files_filename", record.FilesFileName),
    ];

    private static async Task<BackupSummary> SummaryAsync(SqliteConnection connection, SqliteTransaction transaction, long deviceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ReadSummary;
        command.Parameters.AddWithValue("$device_id", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new BackupSummary(reader.GetInt32(0), SqlTime.Read(reader.GetValue(1)), reader.IsDBNull(2) ? null : reader.GetInt64(2))
            : new BackupSummary(0, null, null);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<BackupRecord>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<BackupRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new BackupRecord(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                SqlTime.Read(reader.GetValue(6)) ?? DateTimeOffset.UnixEpoch)
            {
                Platform = reader.IsDBNull(7) ? null : reader.GetString(7),
                FilesFileName = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        }

        return list;
    }
}
