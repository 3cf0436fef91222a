using System.Globalization;
using Microsoft.Data.Sqlite;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Devices.Tasmota;

namespace TasmoGuardian.Storage;

/// <summary>The <c>devices</c> table.</summary>
internal sealed class DeviceStore
{
    private const string Columns =
        "id, mac, name, ip, type, version, lastbackup, noofbackups, name_source, configured_host, model, hostname, " +
        "mqtt_topic, full_topic, prefixes, ha_hidden, last_result, last_reason, last_attempt, last_size, include, first_seen";

    private const string SelectAll = $"SELECT {Columns} FROM devices ORDER BY id;";

    private const string Insert = """
        INSERT INTO devices (mac, name, ip, type, version, lastbackup, noofbackups, name_source, configured_host, model, hostname,
                             mqtt_topic, full_topic, prefixes, ha_hidden, last_result, last_reason, last_attempt, last_size, include, first_seen)
        VALUES ($mac, $name, $ip, $type, $version, $lastbackup, $noofbackups, $name_source, $configured_host, $model, $hostname,
                $mqtt_topic, $full_topic, $prefixes, $ha_hidden, $last_result, $last_reason, $last_attempt, $last_size, $include, $first_seen)
        RETURNING id;
        """;

    // Identity only: the backup columns are written by RecordFailureAsync and by BackupStore's transactions, so a
    // discovery message arriving during a backup can never put back an older result.
    private const string Update = """
        UPDATE devices SET name = $name, ip = $ip, type = $type, version = $version, name_source = $name_source,
               configured_host = $configured_host, model = $model, hostname = $hostname, mqtt_topic = $mqtt_topic,
               full_topic = $full_topic, prefixes = $prefixes, ha_hidden = $ha_hidden
        WHERE id = $id;
        """;

    private const string UpdateFailure = """
        UPDATE devices SET last_result = $last_result, last_reason = $last_reason, last_attempt = $last_attempt WHERE id = $id;
        """;

    private const string UpdateInclude = "UPDATE devices SET include = $include WHERE id = $id;";

    private readonly Database _database;

    public DeviceStore(Database database)
    {
        _database = database;
    }

    public async Task<List<Device>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var devices = new List<Device>();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectAll;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Read(reader) is { } device)
            {
                devices.Add(device);
            }
        }

        return devices;
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
        command.Parameters.AddWithValue("$mqtt_topic", (object?)device.Topic?.Topic ?? DBNull.Value);
        command.Parameters.AddWithValue("$full_topic", (object?)device.Topic?.FullTopic ?? DBNull.Value);
        command.Parameters.AddWithValue("$prefixes", device.Topic is { } t ? $"{t.CommandPrefix}\n{t.StatPrefix}\n{t.TelemetryPrefix}" : DBNull.Value);
        command.Parameters.AddWithValue("$ha_hidden", device.HiddenInHomeAssistant ? 1 : 0);
    }

    private static Device? Read(SqliteDataReader r)
    {
        // A row written by hand or by another tool with a bad MAC is skipped rather than stopping the program.
        if (!Mac.TryParse(r.GetString(1), out var mac))
        {
            return null;
        }

        TasmotaTopic? topic = null;
        if (!r.IsDBNull(12) && !r.IsDBNull(13))
        {
            var prefixes = r.IsDBNull(14) ? null : r.GetString(14).Split('\n');
            topic = prefixes is { Length: 3 }
                ? new TasmotaTopic(r.GetString(12), r.GetString(13), prefixes[0], prefixes[1], prefixes[2])
                : new TasmotaTopic(r.GetString(12), r.GetString(13));
        }

        return new Device
        {
            Id = r.GetInt64(0),
            Mac = mac,
            Name = r.GetString(2),
            Ip = r.IsDBNull(3) ? null : r.GetString(3),
            Type = (DeviceType)r.GetInt32(4),
            Version = r.IsDBNull(5) ? null : r.GetString(5),
            LastBackup = SqlTime.Read(r.GetValue(6)),
            NoOfBackups = r.GetInt32(7),
            NameSource = (NameSource)r.GetInt32(8),
            ConfiguredHost = r.IsDBNull(9) ? null : r.GetString(9),
            Model = r.IsDBNull(10) ? null : r.GetString(10),
            Hostname = r.IsDBNull(11) ? null : r.GetString(11),
            Topic = topic,
            HiddenInHomeAssistant = r.GetInt32(15) != 0,
            LastResult = (BackupResultState)r.GetInt32(16),
            LastReason = r.IsDBNull(17) ? null : r.GetString(17),
            LastAttempt = SqlTime.Read(r.GetValue(18)),
            LastBackupSize = r.IsDBNull(19) ? null : r.GetInt64(19),
            Include = r.GetInt32(20) != 0,
            FirstSeen = SqlTime.Read(r.GetValue(21)),
        };
    }
}
