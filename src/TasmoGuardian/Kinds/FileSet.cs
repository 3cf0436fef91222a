using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// For kinds whose backup is the device's own files (OpenDTU, AI-on-the-Edge, Awtrix, openHASP): reading a file listing,
/// keeping a name that a device made up inside the zip, checking each file for what it claims to be, the multipart form
/// the firmware's upload takes, and comparing what a device serves after a restore with what was restored.
/// </summary>
internal static class FileSet
{
    /// <summary>More files than this is not a configuration; a device that lists more is refused rather than emptied.</summary>
    public const int MaxFiles = 512;

    public const int MaxFileBytes = 8 * 1024 * 1024;

    public const int MaxTotalBytes = 32 * 1024 * 1024;

    private const int MaxPathLength = 200;

    private static readonly string[] TextExtensions = [".json", ".jsonl", ".ini", ".txt", ".cmd", ".js", ".be", ".csv", ".cfg", ".conf", ".yaml"];

    /// <summary>
    /// Reads <c>[{"name":…,"size":…,"type":"file|dir"}, …]</c> (sizes as numbers or strings, as each firmware writes
    /// them); names are taken relative to <paramref name="folder"/> unless they are absolute already.
    /// </summary>
    public static IReadOnlyList<ListedFile> ParseListing(byte[] body, string folder, string part)
    {
        ArgumentNullException.ThrowIfNull(folder);
        using (var document = PartCheck.Json(body, part, "the device's file list", maxDepth: 16))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw DeviceException.Of(FailureKind.InvalidJson, $"{part} is not a list of files");
            }

            var files = new List<ListedFile>();
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || JsonRead.String(entry, "name") is not { Length: > 0 } name)
                {
                    throw DeviceException.Of(FailureKind.InvalidJson, $"{part} has an entry without a name");
                }

                var path = name.StartsWith('/') ? name : folder.TrimEnd('/') + "/" + name;
                var isDirectory = string.Equals(JsonRead.String(entry, "type"), "dir", StringComparison.OrdinalIgnoreCase);
                files.Add(new ListedFile(SafePath(path, part), isDirectory, Size(entry)));
            }

            return files;
        }
    }

    /// <summary>
    /// A path from a device, as it may stand in a zip and in a URL: relative, with no <c>..</c>, no backslash and no
    /// control characters. A device that lists anything else is refused: it is broken or hostile.
    /// </summary>
    public static string SafePath(string raw, string part)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var path = raw.TrimStart('/');
        var segments = path.Split('/');
        if (path.Length == 0 || path.Length > MaxPathLength || path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl)
            || segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            throw DeviceException.Of(FailureKind.NotADump, $"{part} names a file \"{DeviceText.Shorten(new string([.. raw.Where(c => !char.IsControl(c))]), 40)}\" that cannot be a file of the device");
        }

        return path;
    }

    /// <summary>
    /// The file, when it is what its name says: the listed size exactly, JSON that parses, text that is not the
    /// device's web page. <paramref name="path"/> is how the failure names it.
    /// </summary>
    public static byte[] Check(string path, byte[] body, long? listedSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(body);
        if (listedSize is { } size && size != body.Length)
        {
            throw DeviceException.Of(FailureKind.Truncated, $"{path} came with {body.Length} bytes, the device lists {size}; it was cut short or changed while read");
        }

        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (TextExtensions.Contains(extension) && WebPage.LooksLikeHtml(body))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, $"{path} is a web page, not the device's file");
        }

        if (extension == ".json" && body.Length > 0)
        {
            PartCheck.Json(body, path, "the device's file").Dispose();
        }

        return body;
    }

    /// <summary>One file as a multipart form: the part's file name is where the firmware writes it.</summary>
    public static MultipartFormDataContent Form(string field, string fileName, byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    /// <summary>
    /// The first restored file the device does not serve as it was restored, or null: JSON value by value (firmware
    /// re-serialises), everything else byte for byte. Files in <paramref name="skip"/> are not compared. A JSON file may
    /// have more keys on the device (firmware adds its defaults at boot), unless it is in <paramref name="exactJson"/>.
    /// </summary>
    public static string? FirstDifference(IReadOnlyDictionary<string, byte[]> restored, IReadOnlyDictionary<string, byte[]> after, IReadOnlyCollection<string>? skip = null, IReadOnlyCollection<string>? jsonIgnore = null, IReadOnlyCollection<string>? exactJson = null)
    {
        ArgumentNullException.ThrowIfNull(restored);
        ArgumentNullException.ThrowIfNull(after);
        foreach (var (name, content) in restored.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (skip?.Contains(name) == true)
            {
                continue;
            }

            if (!after.TryGetValue(name, out var now))
            {
                return $"the device came back without {name}";
            }

            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                if (JsonCompare.FirstMissing(content, now, exact: exactJson?.Contains(name) == true, jsonIgnore) is { } difference)
                {
                    return $"the device came back with another {name} than the backup's ({difference})";
                }
            }
            else if (!content.AsSpan().SequenceEqual(now))
            {
                return $"the device came back with another {name} than the backup's";
            }
        }

        return null;
    }

    /// <summary>The running total of a backup's files, when it stays within <see cref="MaxTotalBytes"/>.</summary>
    public static long AddToTotal(long total, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return (total += content.Length) > MaxTotalBytes
            ? throw DeviceException.Of(FailureKind.TooLarge, $"the device's files are more than {MaxTotalBytes / (1024 * 1024)} MiB together")
            : total;
    }

    /// <summary>
    /// The files' paths in the order they are sent: by name, <paramref name="last"/> (what the device reads first at boot)
    /// at the end when the backup has it.
    /// </summary>
    public static IReadOnlyList<string> UploadOrder(IEnumerable<string> paths, string? last)
    {
        var all = paths.ToList();
        return [.. all.Where(p => p != last).Order(StringComparer.Ordinal), .. all.Where(p => p == last)];
    }

    /// <summary>
    /// The first half of every file kind's restore: each file sent in <see cref="UploadOrder"/>, told whether files
    /// before it are written already (so its failure can say what changed), and <paramref name="between"/> awaited after
    /// each file but the last (OpenDTU restarts after every upload). The kind then reboots the device, and the worker
    /// compares what it serves with <see cref="FirstDifference"/>.
    /// </summary>
    public static async Task UploadEachAsync(
        IReadOnlyDictionary<string, byte[]> files,
        string? last,
        Func<string, byte[], bool, CancellationToken, Task> upload,
        Func<CancellationToken, Task>? between,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(upload);
        var order = UploadOrder(files.Keys, last);
        for (var i = 0; i < order.Count; i++)
        {
            await upload(order[i], files[order[i]], i > 0, cancellationToken);
            if (between is not null && i < order.Count - 1)
            {
                await between(cancellationToken);
            }
        }
    }

    /// <summary>What a failed upload has already changed, as the failure says it.</summary>
    public static string Changed(bool othersWritten) =>
        othersWritten ? "the files before it are already restored: restore the pre-restore backup to undo them" : "nothing was changed";

    /// <summary>
    /// The answer to writing one file, when it is 200 (or one of <paramref name="written"/>, for firmware that answers a
    /// written file with a redirect); a refusal names the file and what is already changed (<see cref="Changed"/>).
    /// </summary>
    public static void RequireWritten(HttpAnswer answer, string path, string changed, IReadOnlyCollection<int>? written = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.StatusCode == 401)
        {
            throw DeviceException.Of(FailureKind.WrongPassword, $"the device refused to write {path}: wrong password ({changed})");
        }

        if (!(written?.Contains(answer.StatusCode) ?? answer.IsOk))
        {
            var text = DeviceText.Shorten(System.Text.Encoding.UTF8.GetString(answer.Body).Trim());
            throw DeviceException.Of(FailureKind.RestoreRejected, $"the device refused {path} with HTTP {answer.StatusCode} \"{text}\" ({changed})");
        }
    }

    /// <summary>The answer to the reboot that ends a restore, when it is 200; <paramref name="restored"/> says what is already back.</summary>
    public static void RequireRebooting(HttpAnswer answer, string path, string restored)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!answer.IsOk)
        {
            throw DeviceException.Of(FailureKind.RestoreUnknown, $"{restored} restored, but the device answered HTTP {answer.StatusCode} to {path}; restart it by hand");
        }
    }

    private static long? Size(JsonElement entry)
    {
        if (!entry.TryGetProperty("size", out var size))
        {
            return null;
        }

        return size.ValueKind switch
        {
            JsonValueKind.Number when size.TryGetInt64(out var n) && n >= 0 => n,
            JsonValueKind.String when long.TryParse(size.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
