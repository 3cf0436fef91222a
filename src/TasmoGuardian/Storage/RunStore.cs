using System.Text.Json;

namespace TasmoGuardian.Storage;

/// <summary>The <c>runs</c> table: the history of backup-all runs.</summary>
internal sealed class RunStore
{
    private readonly Database _database;

    public RunStore(Database database)
    {
        _database = database;
    }

    public async Task InsertAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO runs (trigger, started, finished, backed_up, skipped, failed, changed_devices)
            VALUES ($trigger, $started, $finished, $backed_up, $skipped, $failed, $changed_devices);
            """;
        command.Parameters.AddWithValue("$trigger", run.Trigger);
        command.Parameters.AddWithValue("$started", SqlTime.Write(run.Started));
        command.Parameters.AddWithValue("$finished", SqlTime.Write(run.Finished));
        command.Parameters.AddWithValue("$backed_up", run.BackedUp);
        command.Parameters.AddWithValue("$skipped", run.Skipped);
        command.Parameters.AddWithValue("$failed", run.Failed);
        command.Parameters.AddWithValue("$changed_devices", JsonSerializer.Serialize([.. run.ChangedDevices], StorageJsonContext.Default.StringArray));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RunRecord?> LastAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT trigger, started, finished, backed_up, skipped, failed, changed_devices FROM runs ORDER BY id DESC LIMIT 1;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new RunRecord(
            reader.GetString(0),
            SqlTime.Read(reader.GetValue(1)) ?? DateTimeOffset.UnixEpoch,
            SqlTime.Read(reader.GetValue(2)) ?? DateTimeOffset.UnixEpoch,
            reader.GetInt32(3),
            reader.GetInt32(4),
            reader.GetInt32(5))
        {
            ChangedDevices = Names(reader.IsDBNull(6) ? null : reader.GetString(6)),
        };
    }

    /// <summary>Runs before 0.4.0 recorded no names; text this version cannot read counts as none.</summary>
    private static string[] Names(string? json)
    {
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize(json, StorageJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
