using System.Text.Json;

namespace TasmoGuardian.Json;

/// <summary>
/// Compares what was restored with what a device serves afterwards, value by value, never by bytes: firmware
/// re-serialises its files (other spacing, key order, added defaults). Answers name the path that differs, never the
/// value, which may be a secret.
/// </summary>
internal static class JsonCompare
{
    /// <summary>
    /// The first path of <paramref name="expected"/> whose value <paramref name="actual"/> does not have, or null when it
    /// has them all. With <paramref name="exact"/>, keys that only <paramref name="actual"/> has count as a difference too.
    /// Paths in <paramref name="ignore"/> ("vid", "cfg.save_count") are not compared.
    /// </summary>
    public static string? FirstMissing(byte[] expected, byte[] actual, bool exact, IReadOnlyCollection<string>? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        JsonDocument want;
        try
        {
            want = JsonDocument.Parse(expected);
        }
        catch (JsonException)
        {
            return "the restored file is not JSON";
        }

        using (want)
        {
            try
            {
                using var have = JsonDocument.Parse(actual);
                return Compare(want.RootElement, have.RootElement, "", exact, ignore ?? []);
            }
            catch (JsonException)
            {
                return "the device's file is not JSON";
            }
        }
    }

    private static string? Compare(JsonElement want, JsonElement have, string path, bool exact, IReadOnlyCollection<string> ignore)
    {
        var here = path.Length == 0 ? "the top level" : path;
        if (want.ValueKind != have.ValueKind && !(IsBoolean(want) && IsBoolean(have)))
        {
            return $"{here} is missing or of another type";
        }

        switch (want.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in want.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (ignore.Contains(child))
                    {
                        continue;
                    }

                    if (!have.TryGetProperty(property.Name, out var other))
                    {
                        return $"{child} is missing";
                    }

                    if (Compare(property.Value, other, child, exact, ignore) is { } difference)
                    {
                        return difference;
                    }
                }

                if (exact)
                {
                    foreach (var property in have.EnumerateObject())
                    {
                        if (!want.TryGetProperty(property.Name, out _))
                        {
                            return $"{(path.Length == 0 ? property.Name : $"{path}.{property.Name}")} is new";
                        }
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (want.GetArrayLength() != have.GetArrayLength())
                {
                    return $"{here} has {have.GetArrayLength()} entries instead of {want.GetArrayLength()}";
                }

                var index = 0;
                foreach (var (a, b) in want.EnumerateArray().Zip(have.EnumerateArray()))
                {
                    if (Compare(a, b, $"{path}[{index++}]", exact, ignore) is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return want.GetDouble() == have.GetDouble() ? null : $"{here} has another value";
            case JsonValueKind.String:
                return want.GetString() == have.GetString() ? null : $"{here} has another value";
            case JsonValueKind.True or JsonValueKind.False:
                return want.GetBoolean() == have.GetBoolean() ? null : $"{here} has another value";
            default:
                return null;
        }
    }

    private static bool IsBoolean(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;
}
