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
            INSERT INTO runs (trigger, started, finished, backed_up, skipped, failed)
            VALUES ($trigger, $started, $finished, $backed_up, $skipped, $failed);
            """;
        command.Parameters.AddWithValue("$trigger", run.Trigger);
        command.Parameters.AddWithValue("$started", SqlTime.Write(run.Started));
        command.Parameters.AddWithValue("$finished", SqlTime.Write(run.Finished));
        command.Parameters.AddWithValue("$backed_up", run.BackedUp);
        command.Parameters.AddWithValue("$skipped", run.Skipped);
        command.Parameters.AddWithValue("$failed", run.Failed);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RunRecord?> LastAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT trigger, started, finished, backed_up, skipped, failed FROM runs ORDER BY id DESC LIMIT 1;";
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
            reader.GetInt32(5));
    }
}
