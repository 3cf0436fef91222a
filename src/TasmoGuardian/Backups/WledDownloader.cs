using System.IO.Compression;
using System.Text.Json;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Backups;

/// <summary>
/// Downloads WLED's <c>/cfg.json</c> and <c>/presets.json</c> (research §5.1) and zips them, bytes as served.
/// Secrets live in wsec.json, which WLED never serves; a restore needs the Wi-Fi password typed again.
/// </summary>
internal sealed class WledDownloader : IDeviceDownloader
{
    public const int MaxBytes = 4 * 1024 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public WledDownloader(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
    }

    public async Task<DownloadedBackup> DownloadAsync(DownloadTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var config = await FetchAsync(target, "cfg.json", missingIsEmpty: false, cancellationToken);
        var presets = await FetchAsync(target, "presets.json", missingIsEmpty: true, cancellationToken);

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var stamp = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _time.LocalTimeZone);
            await AddAsync(archive, "cfg.json", config, stamp, cancellationToken);
            await AddAsync(archive, "presets.json", presets, stamp, cancellationToken);
        }

        return new DownloadedBackup(zip.ToArray(), "zip", null);
    }

    private static async Task AddAsync(ZipArchive archive, string name, byte[] content, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(content, cancellationToken);
    }

    private async Task<byte[]> FetchAsync(DownloadTarget target, string file, bool missingIsEmpty, CancellationToken cancellationToken)
    {
        var answer = await _http.GetAsync(new Uri($"http://{target.Address}/{file}"), null, null, _options.RequestTimeout, MaxBytes, cancellationToken);
        if (answer.StatusCode == 404 && missingIsEmpty || answer.StatusCode == 200 && missingIsEmpty && answer.Body.Length == 0)
        {
            // A device that never saved a preset has no presets.json: that is an empty set, not a failure.
            return "{}"u8.ToArray();
        }

        if (answer.StatusCode != 200)
        {
            throw BackupException.Of(answer.StatusCode == 401 ? BackupFailureKind.WrongPassword : BackupFailureKind.HttpError,
                $"the device answered HTTP {answer.StatusCode} for /{file}");
        }

        if (!IsJsonObject(answer.Body, out var problem))
        {
            throw BackupException.Of(
                Backups.TasmotaDump.LooksLikeHtml(answer.Body) ? BackupFailureKind.HtmlPage : BackupFailureKind.InvalidJson,
                $"/{file} is not a JSON object ({problem})");
        }

        return answer.Body;
    }

    private static bool IsJsonObject(byte[] body, out string? problem)
    {
        problem = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = body.Length == 0 ? "empty" : "it does not start with {";
                return false;
            }

            reader.Skip();
            if (reader.Read())
            {
                problem = "text after the object";
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            problem = ex.Message.Split('.')[0];
            return false;
        }
    }
}
