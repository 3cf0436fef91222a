using System.Text;
using System.Text.RegularExpressions;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Reads the page Tasmota answers an upload with (xdrv_01_9_webserver.ino HandleUploadDone for <c>/u2</c>,
/// xdrv_50_filesystem.ino HandleUploadUFSDone for <c>/ufsu</c>; research FACTS §7): HTTP 200 whether it worked or
/// not, <c>Upload &lt;font …&gt;Successful&lt;/font&gt;&lt;/b&gt;&lt;br&gt;</c> or <c>… Failed&lt;/font&gt;&lt;/b&gt;&lt;br&gt;&lt;br&gt;reason&lt;/div&gt;</c>,
/// in the build's language. The font colours are the user's theme (WebColor), so only the word counts; the reload
/// script that only HandleUploadDone's success page carries is the language-free sign of success.
/// </summary>
internal static partial class TasmotaUploadAnswer
{
    /// <summary>
    /// kUploadErrors 1–9 (xdrv_01_9_webserver.ino @3b28c3d7:486-488 = D_UPLOAD_ERR_1…9; error 5 is a single space and
    /// never set; 10 and more are "D_UPLOAD_ERROR_CODE %d") exactly as each release writes them. English: en_GB.h, the
    /// same in every release since 9.2.0 (error 3 was "Magic byte is not 0xE9" up to 9.1, arendst/Tasmota 4d8191d6b).
    /// German: de_DE.h up to 13.2 (@0489d3fc = 9.2.0, @b53a1611 = 13.0.0), then c3674bd08 and f4ad7586b (13.3.0: "Nicht
    /// genug", U+2024 ONE DOT LEADER in 4 and 6), then f341f8d35 (14.4.0: "Details mit Logging 3"), unchanged at
    /// @78af45cf (15.3.0.3).
    /// </summary>
    internal static readonly IReadOnlyList<(int Code, string Language, string Releases, string Text)> Errors =
    [
        (1, "en", "9.2.0 and later", "No file selected"),
        (2, "en", "9.2.0 and later", "Not enough space"),
        (3, "en", "9.2.0 and later", "Invalid file signature"),
        (3, "en", "up to 9.1", "Magic byte is not 0xE9"),
        (4, "en", "9.2.0 and later", "Program flash size is larger than real flash size"),
        (6, "en", "9.2.0 and later", "Upload failed. Enable logging 3"),
        (7, "en", "9.2.0 and later", "Upload aborted"),
        (8, "en", "9.2.0 and later", "File invalid"),
        (9, "en", "9.2.0 and later", "File too large"),
        (1, "de", "9.2.0 and later", "Keine Datei ausgewählt"),
        (2, "de", "up to 13.2", "Ungenügend Speicherplatz"),
        (2, "de", "13.3.0 and later", "Nicht genug Speicherplatz"),
        (3, "de", "9.2.0 and later", "Falsche Dateisignatur"),
        (4, "de", "up to 13.2", "Datei überschreitet vorhdn. Flashspeicher"),
        (4, "de", "13.3.0 and later", "Datei überschreitet vorhdn\u2024 Flashspeicher"),
        (6, "de", "up to 13.2", "Upload fehlgeschlagen. Aktiviere logging 3"),
        (6, "de", "13.3.0 to 14.3", "Upload fehlgeschlagen\u2024 Aktiviere logging 3"),
        (6, "de", "14.4.0 and later", "Upload fehlgeschlagen\u2024 Details mit Logging 3"),
        (7, "de", "9.2.0 and later", "Upload abgebrochen"),
        (8, "de", "9.2.0 and later", "Datei ungültig"),
        (9, "de", "9.2.0 and later", "Datei zu groß"),
    ];

    // D_UPLOAD D_SUCCESSFUL / D_FAILED: "Upload Successful" / "Upload Failed", "Upload erfolgreich" / "Upload fehlgeschlagen".
    private static readonly string[] SuccessWords = ["Successful", "erfolgreich"];
    private static readonly string[] FailureWords = ["Failed", "fehlgeschlagen"];

    public enum Verdict
    {
        Accepted,
        Rejected,
        Unknown,
    }

    /// <returns>The verdict, the firmware's error code when it gave one (0 otherwise), and what it said.</returns>
    public static (Verdict Verdict, int Code, string Text) Read(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var page = Encoding.UTF8.GetString(body);
        var status = StatusWord().Match(page);
        var word = status.Success ? status.Groups["word"].Value.Trim() : string.Empty;
        if (FailureWords.Any(w => word.Equals(w, StringComparison.OrdinalIgnoreCase)))
        {
            var text = Reason().Match(page) is { Success: true } reason ? Tags().Replace(reason.Groups["reason"].Value, string.Empty).Trim() : string.Empty;
            return (Verdict.Rejected, CodeOf(text), text);
        }

        if (SuccessWords.Any(w => word.Equals(w, StringComparison.OrdinalIgnoreCase)) || page.Contains("location.href='.'", StringComparison.Ordinal))
        {
            return (Verdict.Accepted, 0, word);
        }

        return (Verdict.Unknown, 0, word);
    }

    /// <summary>What a rejection of a settings file means for the user.</summary>
    public static string Explain(int code, string text) => code switch
    {
        8 => "the device refused the file as invalid (its checksum or chip family does not fit this device); nothing was changed",
        9 => "the device refused the file as too large: its firmware keeps no driver settings; nothing was changed",
        2 => "the device had not enough free memory to take the file (Tasmota error 2); nothing was changed, try again after a restart",
        1 => "the device saw no file in the upload (Tasmota error 1); nothing was changed",
        7 => "the upload was aborted on the way; nothing was changed",
        _ => $"the device refused the upload: {(text.Length == 0 ? "no reason given" : text)}",
    };

    /// <summary>What a rejection of a user file means (HandleUploadLoop: 9 when fsz exceeds the free space, 2 when the file cannot be opened).</summary>
    public static string ExplainUserFile(int code, string text) => code switch
    {
        9 => "its file system has not enough free space for it (Tasmota error 9)",
        2 => "it could not create the file (Tasmota error 2: the file system is full, or the path is longer than the firmware takes)",
        _ => Explain(code, text),
    };

    private static int CodeOf(string text)
    {
        foreach (var (code, _, _, known) in Errors)
        {
            if (text.Equals(known, StringComparison.Ordinal))
            {
                return code;
            }
        }

        // D_UPLOAD_ERROR_CODE " %d": "Upload error code 12", "Upload Fehler Nummer 12" (up to 13.2), "Upload Fehlernummer 12".
        return UploadErrorCode().Match(text) is { Success: true } m && int.TryParse(m.Groups["code"].Value, out var n) ? n : 0;
    }

    [GeneratedRegex(@"<font[^>]*>(?<word>[^<]*)</font>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatusWord();

    [GeneratedRegex(@"</font>\s*</b>\s*<br>\s*<br>(?<reason>.*?)(?:<br>|</div>|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Reason();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"(?<code>\d+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UploadErrorCode();
}
