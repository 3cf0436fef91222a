using System.Text;

namespace TasmoGuardian.Net;

/// <summary>
/// Recognises a device's web page where a file was expected: firmware answers unknown or forbidden paths with its
/// main page and 200 (Tasmota in user mode, OpenDTU's web app, WLED's editor), whatever it says the content type is.
/// </summary>
internal static class WebPage
{
    public static bool LooksLikeHtml(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 512)];
        var trimmed = head.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'<')
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(trimmed);
        return text.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<html", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<head", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<body", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<meta", StringComparison.OrdinalIgnoreCase)
            || text.Contains("<script", StringComparison.OrdinalIgnoreCase);
    }
}
