using Microsoft.Data.Sqlite;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Storage;

/// <summary>
/// The SQL both stores write <c>backups</c> rows with: BackupStore when start-up repair adopts a file, DeviceStore when a
/// backup is recorded together with its device's counts in one transaction.
/// </summary>
internal static class BackupRows
{
    public const string Insert = """
        INSERT INTO backups (device_id, filename, size, sha256, version, created, platform, files_filename)
        VALUES ($device_id, $filename, $size, $sha256, $version, $created, $platform, $files_filename)
        RETURNING id;
        """;

    public static (string Name, object? Value)[] Bind(BackupRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
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
    }

    public static async Task<object?> RunAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
