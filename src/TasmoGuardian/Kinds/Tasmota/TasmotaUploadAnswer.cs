using System.Text;
using System.Text.RegularExpressions;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Reads the page Tasmota answers a <c>/u2</c> upload with (xdrv_01_9_webserver.ino HandleUploadDone, research §1.3):
/// HTTP 200 whether it worked or not, "Upload &lt;font …&gt;Successful&lt;/font&gt;" or "… Failed &lt;/font&gt;&lt;/b&gt;&lt;br&gt;&lt;br&gt;reason",
/// in the device's language. The reload script that only a success page carries is the language-free sign of success.
/// </summary>
internal static partial class TasmotaUploadAnswer
{
    // kUploadErrors 1–9 in English and German (language/en_GB.h, de_DE.h).
    private static readonly (int Code, string English, string German)[] Errors =
    [
        (1, "No file selected", "keine Datei ausgewählt"),
        (2, "Not enough space", "ungenügend Speicherplatz"),
        (3, "Magic byte is not 0xE9", "magic byte ist nicht 0xE9"),
        (4, "Program flash size is larger than real flash size", "Flash-Größe des Programmes ist größer als der reale Flashspeicher"),
        (5, "Upload buffer miscompare", "Upload-buffer-Vergleich weicht ab"),
        (6, "Upload failed. Enable logging 3", "Upload fehlgeschlagen. Aktiviere logging 3"),
        (7, "Upload aborted", "Upload abgebrochen"),
        (8, "File invalid", "Datei ungültig"),
        (9, "File too large", "Datei zu groß"),
    ];

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

    /// <summary>What a rejection means for the user.</summary>
    public static string Explain(int code, string text) => code switch
    {
        8 => "the device refused the file as invalid (its checksum or chip family does not fit this device); nothing was changed",
        9 => "the device refused the file as too large: its firmware keeps no driver settings; nothing was changed",
        2 => "the device had not enough free memory to take the file (Tasmota error 2); nothing was changed, try again after a restart",
        1 => "the device saw no file in the upload (Tasmota error 1); nothing was changed",
        7 => "the upload was aborted on the way; nothing was changed",
        _ => $"the device refused the upload: {(text.Length == 0 ? "no reason given" : text)}",
    };

    private static int CodeOf(string text)
    {
        foreach (var (code, english, german) in Errors)
        {
            if (text.StartsWith(english, StringComparison.OrdinalIgnoreCase) || text.StartsWith(german, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

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
