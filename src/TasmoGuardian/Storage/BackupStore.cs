using Microsoft.Data.Sqlite;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Storage;

/// <summary>
/// The <c>backups</c> table as the worker and the start-up repair read it. Recording a backup or forgetting one changes the
/// device's counts too, so those go through the registry (DeviceStore), the one owner of the <c>devices</c> row.
/// </summary>
internal sealed class BackupStore
{
    private const string SelectColumns = "SELECT id, device_id, filename, size, sha256, version, created, platform, files_filename FROM backups";

    private readonly Database _database;

    public BackupStore(Database database)
    {
        _database = database;
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

    /// <summary>
    /// Start-up repair after a crash: forget rows whose file is gone and user files that are gone, adopt finished files that
    /// lack a row. The devices' counts follow when the registry loads (DeviceRegistry.LoadAsync recounts).
    /// </summary>
    public async Task ReconcileAsync(IReadOnlyCollection<long> missingFiles, IReadOnlyCollection<BackupRecord> adopted, IReadOnlyCollection<long> missingUserFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(missingFiles);
        ArgumentNullException.ThrowIfNull(adopted);
        ArgumentNullException.ThrowIfNull(missingUserFiles);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in missingFiles)
        {
            await BackupRows.RunAsync(connection, transaction, "DELETE FROM backups WHERE id = $id;", cancellationToken, ("$id", id));
        }

        foreach (var id in missingUserFiles)
        {
            await BackupRows.RunAsync(connection, transaction, "UPDATE backups SET files_filename = NULL WHERE id = $id;", cancellationToken, ("$id", id));
        }

        foreach (var record in adopted)
        {
            await BackupRows.RunAsync(connection, transaction, BackupRows.Insert, cancellationToken, BackupRows.Bind(record));
        }

        await transaction.CommitAsync(cancellationToken);
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
