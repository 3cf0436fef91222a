using Microsoft.Data.Sqlite;

namespace TasmoGuardian.Tests.Support;

/// <summary>Reads the program's SQLite file directly, as another tool would, for assertions on what it stored.</summary>
internal static class Sql
{
    public static List<Dictionary<string, object?>> Query(string databaseFile, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Changes the database as another program would (a trigger that makes writes fail, say).</summary>
    public static void Execute(string databaseFile, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(string databaseFile, string sql) => Convert.ToInt64(Query(databaseFile, sql)[0].Values.First(), System.Globalization.CultureInfo.InvariantCulture);
}
