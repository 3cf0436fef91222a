using System.IO.Compression;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Wled;

/// <summary>
/// WLED: identified by <c>/json/info</c>; backed up as a zip of <c>/cfg.json</c> and <c>/presets.json</c> (research
/// §5.1), bytes as served. Secrets live in wsec.json, which WLED never serves: a restore onto new hardware needs the
/// Wi-Fi password typed again. WLED has no HTTP authentication; its "password" in the options is the settings PIN.
/// </summary>
internal sealed class WledKind : IDeviceKind
{
    public const int MaxBytes = 4 * 1024 * 1024;
    private const int MaxInfoBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;

    public WledKind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        Restore = new WledRestore(http, options);
    }

    public string? PlatformOf(byte[] backup) => BackupZip.InfoPlatform(backup, "info.json", info => WledInfoParser.Parse(info, out _)?.Platform);

    public IBackupComparer Changes => WledChanges.Comparer;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    public string? DefaultPassword => null;

    public DeviceType Type => DeviceType.Wled;

    public string OptionName => "wled";

    public string DisplayName => "WLED";

    public string DefaultUsername => "admin";

    public async Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        return WledInfoParser.Parse(await InfoAsync(access, cancellationToken), out var problem)
            ?? throw DeviceException.Of(FailureKind.NotADump, $"/json/info {problem}");
    }

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);

        // The chip (arch) is not in cfg.json, and a restore must fit it: recorded with the backup, and the answer kept
        // in it as info.json, so the file itself tells the chip (contract: "plus info.json, the identification answer").
        var infoAnswer = await InfoAsync(access, cancellationToken);
        var info = WledInfoParser.Parse(infoAnswer, out var problem)
            ?? throw DeviceException.Of(FailureKind.NotADump, $"/json/info {problem}");
        var config = await FetchAsync(access, "cfg.json", missingIsEmpty: false, cancellationToken);
        var presets = await FetchAsync(access, "presets.json", missingIsEmpty: true, cancellationToken);

        var zip = new BackupZip();
        zip.Add("cfg.json", config);
        zip.Add("presets.json", presets);
        zip.Add("info.json", infoAnswer);
        return new DownloadedBackup(zip.ToArray(_time), "zip", info.Version, info.Platform);
    }

    private async Task<byte[]> InfoAsync(DeviceAccess access, CancellationToken cancellationToken) =>
        DeviceHttp.RequireOk(
            await _http.GetAsync(access.Url("/json/info"), null, _options.RequestTimeout, MaxInfoBytes, cancellationToken),
            "/json/info",
            passwordSent: false).Body;

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

    private async Task<byte[]> FetchAsync(DeviceAccess access, string file, bool missingIsEmpty, CancellationToken cancellationToken)
    {
        var answer = await _http.GetAsync(access.Url($"/{file}"), null, _options.RequestTimeout, MaxBytes, cancellationToken);
        if (missingIsEmpty && (answer.StatusCode == 404 || answer.IsOk && answer.Body.Length == 0))
        {
            // A device that never saved a preset has no presets.json: that is an empty set, not a failure.
            return "{}"u8.ToArray();
        }

        DeviceHttp.RequireOk(answer, $"/{file}", passwordSent: false);
        if (!IsJsonObject(answer.Body, out var problem))
        {
            throw DeviceException.Of(
                WebPage.LooksLikeHtml(answer.Body) ? FailureKind.HtmlPage : FailureKind.InvalidJson,
                $"/{file} is not a JSON object ({problem})");
        }

        return answer.Body;
    }
}
