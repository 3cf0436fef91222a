using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Storage;

/// <summary>
/// The <c>devices</c> table, written only on the registry's word: identity, the backup counts (with the backups row that
/// changes them, in one transaction) and results. A device's kind data is stored as its kind wrote it; this class never
/// reads it.
/// </summary>
internal sealed class DeviceStore : IDeviceStore
{
    private const string Columns =
        "id, mac, name, ip, type, version, lastbackup, noofbackups, name_source, configured_host, model, hostname, " +
        "kind_data, ha_hidden, last_result, last_reason, last_attempt, last_size, include, first_seen, platform, last_comparison";

    private const string SelectAll = $"SELECT {Columns} FROM devices ORDER BY id;";

    private const string Insert = """
        INSERT INTO devices (mac, name, ip, type, version, lastbackup, noofbackups, name_source, configured_host, model, hostname,
                             kind_data, ha_hidden, last_result, last_reason, last_attempt, last_size, include, first_seen, platform)
        VALUES ($mac, $name, $ip, $type, $version, $lastbackup, $noofbackups, $name_source, $configured_host, $model, $hostname,
                $kind_data, $ha_hidden, $last_result, $last_reason, $last_attempt, $last_size, $include, $first_seen, $platform)
        RETURNING id;
        """;

    // Identity only: the backup columns are written by RecordFailureAsync and by BackupStore's transactions, so a
    // discovery message arriving during a backup can never put back an older result.
    private const string Update = """
        UPDATE devices SET name = $name, ip = $ip, type = $type, version = $version, name_source = $name_source,
               configured_host = $configured_host, model = $model, hostname = $hostname, kind_data = $kind_data,
               ha_hidden = $ha_hidden, platform = $platform
        WHERE id = $id;
        """;

    private const string UpdateFailure = """
        UPDATE devices SET last_result = $last_result, last_reason = $last_reason, last_attempt = $last_attempt WHERE id = $id;
        """;

    private const string UpdateInclude = "UPDATE devices SET include = $include WHERE id = $id;";

    // lastbackup: the newest moment a kept file held the device's configuration, its own time or a later one at which a
    // backup found it unchanged and kept no file (confirmed). Both go with their row: a forgotten row takes its time along.
    private const string Recount = """
        UPDATE devices SET
            noofbackups = (SELECT COUNT(*) FROM backups b WHERE b.device_id = devices.id),
            lastbackup  = (SELECT MAX(MAX(created, COALESCE(confirmed, created))) FROM backups b WHERE b.device_id = devices.id),
            last_size   = COALESCE((SELECT size FROM backups b WHERE b.device_id = devices.id ORDER BY created DESC, id DESC LIMIT 1), last_size)
        """;

    private const string MarkSuccess = """
        UPDATE devices SET last_result = $success, last_reason = NULL, last_attempt = $attempt, last_comparison = $comparison WHERE id = $device_id;
        """;

    private const string Confirm = "UPDATE backups SET confirmed = $attempt WHERE id = $id AND device_id = $device_id;";

    private const string ReadSummary = "SELECT noofbackups, lastbackup, last_size FROM devices WHERE id = $device_id;";

    private readonly Database _database;

    public DeviceStore(Database database)
    {
        _database = database;
    }

    public async Task<StoredDevices> LoadAllAsync(CancellationToken cancellationToken)
    {
        var devices = new List<Device>();
        var unsupported = new List<Device>();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Read(reader) is { } device)
            {
                // A type written by a newer version (after a downgrade): kept as it is and reported, never worked on.
                (Enum.IsDefined(device.Type) ? devices : unsupported).Add(device);
            }
        }

        return new StoredDevices(devices, unsupported);
    }

    public async Task<(BackupSummary Summary, long Id)> RecordBackupAsync(BackupRecord record, DateTimeOffset attempt, BackupComparison comparison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var id = Convert.ToInt64(await BackupRows.RunAsync(connection, transaction, BackupRows.Insert, cancellationToken, BackupRows.Bind(record)), CultureInfo.InvariantCulture);
        var summary = await SucceededAsync(connection, transaction, record.DeviceId, attempt, comparison, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (summary, id);
    }

    public async Task<BackupSummary> RecordUnchangedAsync(long deviceId, long backupId, DateTimeOffset attempt, BackupComparison comparison, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await BackupRows.RunAsync(connection, transaction, Confirm, cancellationToken, ("$id", backupId), ("$device_id", deviceId), ("$attempt", SqlTime.Write(attempt)));
        var summary = await SucceededAsync(connection, transaction, deviceId, attempt, comparison, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return summary;
    }

    public async Task<BackupSummary> ForgetBackupsAsync(long deviceId, IReadOnlyCollection<long> backupIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backupIds);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in backupIds)
        {
            await BackupRows.RunAsync(connection, transaction, "DELETE FROM backups WHERE id = $id AND device_id = $device_id;", cancellationToken, ("$id", id), ("$device_id", deviceId));
        }

        await BackupRows.RunAsync(connection, transaction, Recount + " WHERE id = $device_id;", cancellationToken, ("$device_id", deviceId));
        var summary = await SummaryAsync(connection, transaction, deviceId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return summary;
    }

    public async Task RecountAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await BackupRows.RunAsync(connection, transaction, Recount + ";", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> InsertAsync(Device device, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Insert;
        Bind(command, device);
        command.Parameters.AddWithValue("$lastbackup", SqlTime.WriteOrNull(device.LastBackup));
        command.Parameters.AddWithValue("$noofbackups", device.NoOfBackups);
        command.Parameters.AddWithValue("$last_size", (object?)device.LastBackupSize ?? DBNull.Value);
        command.Parameters.AddWithValue("$last_result", (int)device.LastResult);
        command.Parameters.AddWithValue("$last_reason", (object?)device.LastReason ?? DBNull.Value);
        command.Parameters.AddWithValue("$last_attempt", SqlTime.WriteOrNull(device.LastAttempt));
        command.Parameters.AddWithValue("$include", device.Include ? 1 : 0);
        command.Parameters.AddWithValue("$first_seen", SqlTime.WriteOrNull(device.FirstSeen));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task UpdateAsync(Device device, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Update;
        Bind(command, device);
        command.Parameters.AddWithValue("$id", device.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetIncludeAsync(long id, bool include, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = UpdateInclude;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$include", include ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordFailureAsync(long id, string reason, DateTimeOffset attempt, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = UpdateFailure;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$last_result", (int)BackupResultState.Failed);
        command.Parameters.AddWithValue("$last_reason", reason);
        command.Parameters.AddWithValue("$last_attempt", SqlTime.Write(attempt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BackupSummary> SucceededAsync(SqliteConnection connection, SqliteTransaction transaction, long deviceId, DateTimeOffset attempt, BackupComparison comparison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        await BackupRows.RunAsync(connection, transaction, Recount + " WHERE id = $device_id;", cancellationToken, ("$device_id", deviceId));
        await BackupRows.RunAsync(connection, transaction, MarkSuccess, cancellationToken,
            ("$device_id", deviceId), ("$success", (int)BackupResultState.Success), ("$attempt", SqlTime.Write(attempt)),
            ("$comparison", JsonSerializer.Serialize(comparison, StorageJsonContext.Default.BackupComparison)));
        return await SummaryAsync(connection, transaction, deviceId, cancellationToken);
    }

    /// <summary>A stored comparison; one this version cannot read (hand-edited, or a newer version's form) is as good as none.</summary>
    private static BackupComparison? Comparison(SqliteDataReader r, int column)
    {
        if (Text(r, column) is not { } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, StorageJsonContext.Default.BackupComparison);
        }
        catch (JsonException)
        {
            return null;
        }
    }

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

    private static void Bind(SqliteCommand command, Device device)
    {
        command.Parameters.AddWithValue("$mac", device.Mac.ToString());
        command.Parameters.AddWithValue("$name", device.Name);
        command.Parameters.AddWithValue("$ip", (object?)device.Ip ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (int)device.Type);
        command.Parameters.AddWithValue("$version", (object?)device.Version ?? DBNull.Value);
        command.Parameters.AddWithValue("$name_source", (int)device.NameSource);
        command.Parameters.AddWithValue("$configured_host", (object?)device.ConfiguredHost ?? DBNull.Value);
        command.Parameters.AddWithValue("$model", (object?)device.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$hostname", (object?)device.Hostname ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind_data", (object?)device.KindData ?? DBNull.Value);
        command.Parameters.AddWithValue("$ha_hidden", device.HiddenInHomeAssistant ? 1 : 0);
        command.Parameters.AddWithValue("$platform", (object?)device.Platform ?? DBNull.Value);
    }

    private static string? Text(SqliteDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);

    /// <summary>
    /// A value a newer version wrote that this one does not know becomes the nearest one it does (a new kind of name
    /// source ranks as the device's own name; a new backup result is read from the row's reason and last backup).
    /// </summary>
    private static T Known<T>(T value, T otherwise)
        where T : struct, Enum => Enum.IsDefined(value) ? value : otherwise;

    private static Device? Read(SqliteDataReader r)
    {
        // A row written by hand or by another tool with a bad MAC is skipped rather than stopping the program.
        if (!Mac.TryParse(r.GetString(1), out var mac))
        {
            return null;
        }

        var lastReason = Text(r, 15);
        var lastBackup = SqlTime.Read(r.GetValue(6));
        return new Device
        {
            Id = r.GetInt64(0),
            Mac = mac,
            Name = r.GetString(2),
            Ip = Text(r, 3),
            Type = (DeviceType)r.GetInt32(4),
            Version = Text(r, 5),
            LastBackup = lastBackup,
            NoOfBackups = r.GetInt32(7),
            NameSource = Known((NameSource)r.GetInt32(8), NameSource.DeviceName),
            ConfiguredHost = Text(r, 9),
            Model = Text(r, 10),
            Hostname = Text(r, 11),
            KindData = Text(r, 12),
            HiddenInHomeAssistant = r.GetInt32(13) != 0,
            LastResult = Known((BackupResultState)r.GetInt32(14), lastReason is not null ? BackupResultState.Failed : lastBackup is not null ? BackupResultState.Success : BackupResultState.Never),
            LastReason = lastReason,
            LastAttempt = SqlTime.Read(r.GetValue(16)),
            LastBackupSize = r.IsDBNull(17) ? null : r.GetInt64(17),
            Include = r.GetInt32(18) != 0,
            FirstSeen = SqlTime.Read(r.GetValue(19)),
            Platform = Text(r, 20),
            LastComparison = Comparison(r, 21),
        };
    }
}
