using System.Text.Json;

namespace TasmoGuardian.Json;

/// <summary>
/// Lenient reads from untrusted JSON: a field of the wrong type is treated as missing instead of failing the whole
/// message, so one odd field from an old firmware costs that field only.
/// </summary>
internal static class JsonRead
{
    /// <summary>Parses a payload; null with a reason when it is not a JSON object (or not UTF-8).</summary>
    public static JsonDocument? Object(ReadOnlyMemory<byte> payload, out string? problem)
    {
        problem = null;
        if (payload.IsEmpty)
        {
            problem = "the payload is empty";
            return null;
        }

        // System.Text.Json checks string contents only when they are read; refuse bad UTF-8 up front instead.
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            problem = "not valid UTF-8";
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            problem = $"expected a JSON object, got {document.RootElement.ValueKind}";
            document.Dispose();
            return null;
        }
        catch (JsonException ex)
        {
            problem = $"not valid JSON ({ex.Message.Split('.')[0]})";
            return null;
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A whole number, also when a firmware sends it as a string ("12").</summary>
    public static long? Int64(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    public static JsonElement? Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    /// <summary>The first string of an array such as FriendlyName, skipping nulls.</summary>
    public static string? FirstString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
            {
                return item.GetString();
            }
        }

        return null;
    }

    /// <summary>A fixed-length array of strings such as Tasmota's prefixes (tp); null when any entry is not text.</summary>
    public static string[]? Strings(JsonElement element, string name, int count)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < count)
        {
            return null;
        }

        var result = new string[count];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (i == count)
            {
                break;
            }

            if (item.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(item.GetString()))
            {
                return null;
            }

            result[i++] = item.GetString()!;
        }

        return result;
    }
}
