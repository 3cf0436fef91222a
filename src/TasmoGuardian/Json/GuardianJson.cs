using System.Text.Encodings.Web;
using System.Text.Json;

namespace TasmoGuardian.Json;

/// <summary>
/// The serializer context everyone uses. MQTT payloads are never embedded in HTML, so "+" in a time offset and
/// "ü" in a device name are written as themselves instead of \u escapes that make payloads hard to read.
/// </summary>
internal static class GuardianJson
{
    public static GuardianJsonContext Context { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
