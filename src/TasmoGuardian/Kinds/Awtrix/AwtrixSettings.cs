using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TasmoGuardian.Kinds.Awtrix;

/// <summary>
/// Awtrix's display settings, between what <c>GET /api/settings</c> reports and what <c>POST /api/settings</c> reads
/// (Blueforcer/awtrix3 <c>src/DisplayManager.cpp</c> <c>getSettings</c> and <c>setNewSettings</c>). The two differ:
/// GET reports the colours as numbers (<c>"TCOL":16777215</c>), but POST reads a colour only as "#RRGGBB" text or an
/// [r,g,b] array and takes a number for the default colour (<c>getColorFromJsonVariant</c>, <c>src/Functions.cpp:62-91</c>);
/// GET reports colour correction and temperature as "#RRGGBB", but POST reads that text with <c>strtoul</c>, which stops
/// at the "#" and gives black. And the clock keeps over a restart only what <c>saveSettings</c> writes
/// (<c>src/Globals.cpp</c>): not the matrix power, gamma, colour correction and temperature, overlay and matrix layout.
/// POST answers 200 "OK" whatever it read, even JSON it cannot parse (<c>src/ServerManager.cpp:153-154</c>), so only
/// reading the settings back shows what it took.
/// </summary>
internal static class AwtrixSettings
{
    /// <summary>The settings a restarted clock has from elsewhere (dev.json, its defaults), not from what was posted; not compared after a restore.</summary>
    public static readonly IReadOnlyCollection<string> NotKeptOverRestart = ["MATP", "GAMMA", "CCORRECTION", "CTEMP", "OVERLAY", "MAT"];

    private static readonly HashSet<string> Colours = new(StringComparer.Ordinal)
    {
        "TCOL", "CHCOL", "CTCOL", "CBCOL", "WDCA", "WDCI", "TIME_COL", "DATE_COL", "HUM_COL", "TEMP_COL", "BAT_COL",
    };

    private static readonly HashSet<string> RgbOnly = new(StringComparer.Ordinal) { "CCORRECTION", "CTEMP" };

    /// <summary>
    /// The stored settings (as GET reported them) in the form POST reads: every value as it is, except colours given as
    /// numbers, sent as "#RRGGBB", and colour correction and temperature given as "#RRGGBB", sent as [r,g,b].
    /// </summary>
    public static byte[] ForPost(byte[] reported)
    {
        using var document = JsonDocument.Parse(reported);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Colours.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var colour))
                {
                    writer.WriteString(property.Name, "#" + (colour & 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture));
                }
                else if (RgbOnly.Contains(property.Name) && Rgb(property.Value) is { } rgb)
                {
                    writer.WriteStartArray(property.Name);
                    writer.WriteNumberValue((rgb >> 16) & 0xFF);
                    writer.WriteNumberValue((rgb >> 8) & 0xFF);
                    writer.WriteNumberValue(rgb & 0xFF);
                    writer.WriteEndArray();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static int? Rgb(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.TrimStart('#') : null;
        return text is { Length: 6 } && int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb) ? rgb : null;
    }
}
