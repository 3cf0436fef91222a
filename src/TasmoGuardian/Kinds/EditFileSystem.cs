using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// The file browser ESP firmware shares (Awtrix 3, openHASP; research §4.6, §4.7): <c>GET /list?dir=/</c> lists a
/// folder as <c>[{"type":"file|dir","name":…}]</c> (Awtrix adds "size", openHASP does not), files are served at their path, and <c>POST /edit</c>
/// writes the multipart file to the path its file name gives. Folders are walked to a small depth; a device listing
/// more files or bytes than any configuration has is refused rather than copied.
/// </summary>
internal sealed class EditFileSystem
{
    private const int MaxDepth = 4;
    private const int MaxListingBytes = 512 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly string _downloadQuery;
    private readonly string? _servedRewritten;
    private readonly IReadOnlyCollection<int>? _writtenStatuses;

    /// <param name="downloadQuery">Added to a file's URL ("?download=true" for openHASP, which otherwise may serve a page).</param>
    /// <param name="servedRewritten">A file the firmware rewrites as it serves it (openHASP's config.json, masked), so its listed size is not what comes.</param>
    /// <param name="writtenStatuses">The answers that mean a file was written, where the firmware answers more than 200 (openHASP before 0.7: 302).</param>
    public EditFileSystem(DeviceHttp http, GuardianOptions options, string downloadQuery = "", string? servedRewritten = null, IReadOnlyCollection<int>? writtenStatuses = null)
    {
        _http = http;
        _options = options;
        _downloadQuery = downloadQuery;
        _servedRewritten = servedRewritten;
        _writtenStatuses = writtenStatuses;
    }

    public async Task<IReadOnlyList<ListedFile>> ListAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var files = new List<ListedFile>();
        await ListAsync(access, "/", 0, files, cancellationToken);
        return files;
    }

    /// <summary>Every listed file, each checked (<see cref="FileSet.Check"/>), by path.</summary>
    public async Task<SortedDictionary<string, byte[]>> DownloadAllAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var contents = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var file in await ListAsync(access, cancellationToken))
        {
            var answer = DeviceHttp.RequireOk(
                await _http.GetAsync(access.Url("/" + Escape(file.Path) + _downloadQuery), access, _options.RequestTimeout, FileSet.MaxFileBytes, cancellationToken),
                "/" + file.Path,
                access.HasPassword);
            var content = FileSet.Check(file.Path, answer.Body, file.Path == _servedRewritten ? null : file.Size);
            total = FileSet.AddToTotal(total, content);

            contents[file.Path] = content;
        }

        return contents;
    }

    /// <summary>Writes one file; a refusal names the file and whether files before it are already written.</summary>
    public async Task UploadAsync(DeviceAccess access, string field, string path, byte[] content, bool othersWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answer = await _http.PostAsync(access.Url("/edit"), () => FileSet.Form(field, "/" + path, content), access, _options.RequestTimeout, 64 * 1024, cancellationToken);
        FileSet.RequireWritten(answer, path, FileSet.Changed(othersWritten), _writtenStatuses);
    }


    private static string Escape(string path) => string.Join('/', path.Split('/').Select(System.Uri.EscapeDataString));

    private async Task ListAsync(DeviceAccess access, string folder, int depth, List<ListedFile> files, CancellationToken cancellationToken)
    {
        var what = $"/list?dir={folder}";
        var answer = DeviceHttp.RequireOk(
            await _http.GetAsync(access.Url("/list?dir=" + System.Uri.EscapeDataString(folder)), access, _options.RequestTimeout, MaxListingBytes, cancellationToken),
            what,
            access.HasPassword);
        foreach (var entry in FileSet.ParseListing(answer.Body, folder, what))
        {
            if (!entry.IsDirectory)
            {
                files.Add(entry);
                if (files.Count > FileSet.MaxFiles)
                {
                    throw DeviceException.Of(FailureKind.TooLarge, $"the device lists more than {FileSet.MaxFiles} files");
                }
            }
            else if (depth < MaxDepth)
            {
                await ListAsync(access, "/" + entry.Path + "/", depth + 1, files, cancellationToken);
            }
        }
    }
}
