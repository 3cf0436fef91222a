using System.Globalization;

namespace TasmoGuardian.Storage;

/// <summary>Times in the database: ISO 8601 UTC with a Z, second precision, so they sort as text.</summary>
internal static class SqlTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static string Write(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static object WriteOrNull(DateTimeOffset? value) => value is { } v ? Write(v) : DBNull.Value;

    public static DateTimeOffset? Read(object value) => value is string text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}
