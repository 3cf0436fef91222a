using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TasmoGuardian.Storage;

/// <summary>
/// The <c>restores</c> table. A row is written when a restore starts and its stage is updated as it goes, so a restore
/// cut off by a crash or a power cut still says how far it got; the next start ends it as failed (<see cref="EndInterruptedAsync"/>).
/// </summary>
internal sealed class RestoreStore
{
    private const string Columns = "id, device_id, backup_id, backup_filename, started, finished, result, reason, stage, pre_restore_backup_id, pre_restore_filename";

    private readonly Database _database;

    public RestoreStore(Database database)
    {
        _database = database;
    }

    /// <returns>The new row's id.</returns>
    public async Task<long> StartAsync(long deviceId, long? backupId, string backupFileName, DateTimeOffset started, string stage, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO restores (device_id, backup_id, backup_filename, started, stage)
            VALUES ($device_id, $backup_id, $backup_filename, $started, $stage)
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$device_id", deviceId);
        command.Parameters.AddWithValue("$backup_id", (object?)backupId ?? DBNull.Value);
        command.Parameters.AddWithValue("$backup_filename", backupFileName);
        command.Parameters.AddWithValue("$started", SqlTime.Write(started));
        command.Parameters.AddWithValue("$stage", stage);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task SetStageAsync(long id, string stage, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE restores SET stage = $stage WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$stage", stage);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetPreRestoreBackupAsync(long id, long backupId, string fileName, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE restores SET pre_restore_backup_id = $backup_id, pre_restore_filename = $filename WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$backup_id", backupId);
        command.Parameters.AddWithValue("$filename", fileName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FinishAsync(long id, bool success, string? reason, DateTimeOffset finished, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE restores SET finished = $finished, result = $result, reason = $reason, stage = 'finished' WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$finished", SqlTime.Write(finished));
        command.Parameters.AddWithValue("$result", success ? "success" : "failed");
        command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Start-up: restores that never finished (the program was killed or the power went) end as failed, their reason
    /// saying at which stage, so the user knows to look at the device; the pre-restore backup undoes them.
    /// </summary>
    /// <returns>The rows ended.</returns>
    public async Task<List<RestoreRecord>> EndInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var open = new List<RestoreRecord>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT {Columns} FROM restores WHERE finished IS NULL ORDER BY id;";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                open.Add(Read(reader));
            }
        }

        var ended = new List<RestoreRecord>();
        foreach (var row in open)
        {
            var reason = $"the add-on stopped while {row.Stage}; the device may be half restored: check it, or restore the pre-restore backup";
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE restores SET finished = $finished, result = 'failed', reason = $reason WHERE id = $id;";
            update.Parameters.AddWithValue("$id", row.Id);
            update.Parameters.AddWithValue("$finished", SqlTime.Write(now));
            update.Parameters.AddWithValue("$reason", reason);
            await update.ExecuteNonQueryAsync(cancellationToken);
            ended.Add(row with { Finished = now, Result = "failed", Reason = reason });
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    /// <summary>The newest finished restore of each device: the <c>last_restore</c> sensors after a start.</summary>
    public async Task<List<RestoreRecord>> LatestPerDeviceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM restores r
            WHERE finished IS NOT NULL AND id = (SELECT MAX(id) FROM restores x WHERE x.device_id = r.device_id AND x.finished IS NOT NULL);
            """;
        var list = new List<RestoreRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    private static RestoreRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetInt64(1),
        r.IsDBNull(2) ? null : r.GetInt64(2),
        r.GetString(3),
        SqlTime.Read(r.GetValue(4)) ?? DateTimeOffset.UnixEpoch,
        SqlTime.Read(r.GetValue(5)),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.GetString(8),
        r.IsDBNull(9) ? null : r.GetInt64(9),
        r.IsDBNull(10) ? null : r.GetString(10));
}
