using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// The file system page <c>/ufsd</c> (research §1.7, <c>UfsListDir</c> in xdrv_50_filesystem.ino): there is no JSON
/// listing, so the page is read. Each entry is
/// <c>&lt;pre&gt;&lt;a href='ufsd?download=/dir/name' file='name'&gt;name&lt;/a&gt; 2025-01-02T03:04:05 1234 …&lt;/pre&gt;</c>;
/// a folder has no time and size 0; the ".." line back up has neither. Paths in the links are URL-escaped; firmware
/// before 13 wrote the links with the device's address in front.
/// </summary>
internal static partial class TasmotaFileListing
{
    /// <summary>One file or folder on the device, by its full path ("/autoexec.be").</summary>
    public sealed record Entry(string Path, bool IsFolder, long Size)
    {
        public string Name => Path[(Path.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// The page's entries, or null when this is not the file system page (a main page in user mode, another
    /// firmware's page): only the real page has the upload form that posts to <c>ufsu</c>, written
    /// <c>action='ufsu'</c> up to 13.3 and <c>action='ufsu?fsz='</c> since 13.4.0 (arendst/Tasmota a13e83e1e,
    /// xdrv_50_filesystem.ino UFS_FORM_FILE_UPG).
    /// </summary>
    public static IReadOnlyList<Entry>? Read(ReadOnlySpan<byte> page)
    {
        var text = Encoding.UTF8.GetString(page);
        if (!UploadForm().IsMatch(text))
        {
            return null;
        }

        var entries = new List<Entry>();
        foreach (Match match in EntryPattern().Matches(text))
        {
            var label = WebUtility.HtmlDecode(match.Groups["label"].Value).Trim();
            if (label == ".." || !match.Groups["size"].Success)
            {
                continue;
            }

            var path = Uri.UnescapeDataString(match.Groups["path"].Value);
            if (!path.StartsWith('/') || path.Contains("/../", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal))
            {
                continue;
            }

            var size = long.Parse(match.Groups["size"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            entries.Add(new Entry(path, !match.Groups["time"].Success, size));
        }

        return entries;
    }

    [GeneratedRegex(@"<form method='post' action='ufsu(?:\?fsz=)?'", RegexOptions.CultureInvariant)]
    private static partial Regex UploadForm();

    [GeneratedRegex(@"<pre[^>]*><a href='(?:http://[^/']*/)?ufsd\?download=(?<path>[^']*)' file='[^']*'>(?<label>[^<]*)</a>(?:\s+(?:(?<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\s+)?(?<size>\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();
}
