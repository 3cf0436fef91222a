using System.Text.Json;

namespace TasmoGuardian.Json;

/// <summary>
/// Compares JSON value by value, never by bytes: firmware re-serialises its files (other spacing, key order, added
/// defaults). Used for what a device serves after a restore, and for what changed between two backups. Answers name
/// the path that differs, never the value, which may be a secret.
/// </summary>
internal static class JsonCompare
{
    /// <summary>
    /// Every path at which <paramref name="before"/> and <paramref name="after"/> differ, in document order: values that
    /// differ, and keys or array entries only one of them has (arrays are compared entry by entry). Paths deeper than
    /// <paramref name="depth"/> are named at that depth, once ("presets.json" by preset: "3", not "3.seg[0].col[1]").
    /// Paths in <paramref name="ignore"/> are not compared; "[*]" in one stands for any index ("relays[*].ison").
    /// </summary>
    /// <exception cref="JsonException">Either is not JSON.</exception>
    public static IReadOnlyList<JsonPathDifference> Differences(byte[] before, byte[] after, IReadOnlyCollection<string>? ignore = null, int depth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        using var a = JsonDocument.Parse(before, new JsonDocumentOptions { MaxDepth = 256 });
        using var b = JsonDocument.Parse(after, new JsonDocumentOptions { MaxDepth = 256 });
        var found = new List<JsonPathDifference>();
        Differ(a.RootElement, b.RootElement, "", 0, depth, ignore ?? [], found);
        return found;
    }

    private static void Differ(JsonElement a, JsonElement b, string path, int level, int depth, IReadOnlyCollection<string> ignore, List<JsonPathDifference> found)
    {
        if (level >= depth && path.Length > 0)
        {
            var below = new List<JsonPathDifference>();
            Differ(a, b, path, 0, int.MaxValue, ignore, below);
            if (below.Count > 0)
            {
                found.Add(new JsonPathDifference(path, true, true));
            }

            return;
        }

        if (a.ValueKind != b.ValueKind && !(IsBoolean(a) && IsBoolean(b)))
        {
            found.Add(new JsonPathDifference(path, true, true));
            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in a.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (Ignored(child, ignore))
                    {
                        continue;
                    }

                    if (b.TryGetProperty(property.Name, out var other))
                    {
                        Differ(property.Value, other, child, level + 1, depth, ignore, found);
                    }
                    else
                    {
                        found.Add(new JsonPathDifference(child, true, false));
                    }
                }

                foreach (var property in b.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!a.TryGetProperty(property.Name, out _) && !Ignored(child, ignore))
                    {
                        found.Add(new JsonPathDifference(child, false, true));
                    }
                }

                return;
            case JsonValueKind.Array:
                var (left, right) = (a.GetArrayLength(), b.GetArrayLength());
                for (var i = 0; i < Math.Max(left, right); i++)
                {
                    var child = $"{path}[{i}]";
                    if (Ignored(child, ignore))
                    {
                        continue;
                    }

                    if (i < left && i < right)
                    {
                        Differ(a[i], b[i], child, level + 1, depth, ignore, found);
                    }
                    else
                    {
                        found.Add(new JsonPathDifference(child, i < left, i < right));
                    }
                }

                return;
            default:
                if (!SameValue(a, b))
                {
                    found.Add(new JsonPathDifference(path, true, true));
                }

                return;
        }
    }

    private static bool SameValue(JsonElement a, JsonElement b) => a.ValueKind switch
    {
        JsonValueKind.Number => a.GetRawText() == b.GetRawText() || (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble() == b.GetDouble()),
        JsonValueKind.String => a.ValueEquals(b.GetString()),
        JsonValueKind.True or JsonValueKind.False => a.GetBoolean() == b.GetBoolean(),
        _ => true,
    };

    /// <summary>Whether a path is ignored as it is, or with every index as "[*]".</summary>
    private static bool Ignored(string path, IReadOnlyCollection<string> ignore)
    {
        if (ignore.Count == 0)
        {
            return false;
        }

        if (ignore.Contains(path))
        {
            return true;
        }

        if (!path.Contains('[', StringComparison.Ordinal))
        {
            return false;
        }

        var wildcard = new System.Text.StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                wildcard.Append("[*]");
                i = close < 0 ? path.Length : close;
            }
            else
            {
                wildcard.Append(path[i]);
            }
        }

        return ignore.Contains(wildcard.ToString());
    }

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
