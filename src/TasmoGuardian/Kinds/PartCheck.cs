using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// The checks every part of a backup passes before it is saved (contract.md): JSON parses as a JSON object with the
/// keys that kind always has, and nothing is the device's web page served with 200 (firmware answers unknown paths
/// with its app). A failure names the part and the reason.
/// </summary>
internal static class PartCheck
{
    /// <summary>The body, when it is one JSON object with every key in <paramref name="keys"/>.</summary>
    public static byte[] JsonObject(byte[] body, string part, params string[] keys)
    {
        using var document = Json(body, part);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw DeviceException.Of(FailureKind.InvalidJson, $"{part} is not a JSON object");
        }

        foreach (var key in keys)
        {
            if (!document.RootElement.TryGetProperty(key, out _))
            {
                throw DeviceException.Of(FailureKind.InvalidJson, $"{part} lacks \"{key}\", which it always has: it is not what the device should send");
            }
        }

        return body;
    }

    /// <summary>Whether a stored file is a JSON object with every key in <paramref name="keys"/>: how a kind recognises its own files.</summary>
    public static bool HasKeys(byte[] body, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(keys);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && keys.All(k => document.RootElement.TryGetProperty(k, out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The body parsed, when it is JSON and not a web page; <paramref name="what"/> is what it should have been.</summary>
    public static JsonDocument Json(byte[] body, string part, string what = "the device's data", int maxDepth = 64)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (WebPage.LooksLikeHtml(body))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"{part} is a web page, not {what}");
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            throw DeviceException.Of(body.Length == 0 ? FailureKind.EmptyReply : FailureKind.InvalidJson, $"{part} is not valid JSON ({(body.Length == 0 ? "empty" : ex.Message.Split('.')[0])}); it may be cut short");
        }
    }

    /// <summary>The answer's body, when the device answered 200 with a JSON object (see <see cref="JsonObject(byte[], string, string[])"/>).</summary>
    public static byte[] JsonObject(HttpAnswer answer, string part, bool passwordSent, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return JsonObject(DeviceHttp.RequireOk(answer, part, passwordSent).Body, part, keys);
    }
}
