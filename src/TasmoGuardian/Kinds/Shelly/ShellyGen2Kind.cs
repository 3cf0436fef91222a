using System.Text;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// Shelly Gen2, Gen3 and Gen4 over RPC on HTTP, with Digest authentication (SHA-256, user admin) when a password is
/// set (research §4.2). The backup zip holds <c>Shelly.GetConfig.json</c>, every script whole
/// (<c>scripts/&lt;id&gt;_&lt;name&gt;.js</c>, read with <c>Script.GetCode</c> until nothing is <c>left</c>, and its length
/// checked against what the device reported: the defect that truncates scripts elsewhere), <c>KVS.GetMany.json</c>
/// (all pages), <c>Schedule.List.json</c> and <c>Webhook.List.json</c> where the device has them, and <c>Shelly.GetDeviceInfo.json</c>.
/// A backup goes back onto a device of the same model only (<see cref="ShellyRestore"/>).
/// </summary>
internal sealed class ShellyGen2Kind : IDeviceKind
{
    private const int MaxBytes = 4 * 1024 * 1024;
    private const int ChunkBytes = 2048;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;
    private readonly TimeProvider _time;
    private readonly ShellyGen1Kind _gen1;

    public ShellyGen2Kind(DeviceHttp http, GuardianOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        _gen1 = new ShellyGen1Kind(http, options, time);
        Restore = new ShellyRestore(this, new ShellyRpc(http, options));
    }

    public DeviceType Type => DeviceType.ShellyGen2;

    public string OptionName => "shelly";

    public string DisplayName => "Shelly";

    public string DefaultUsername => "admin";

    public string? DefaultPassword => null;

    // Shelly backups record no chip; the model (Shelly.GetDeviceInfo) is what a restore must match.
    public string? PlatformOf(byte[] backup) => null;

    public IBackupComparer Changes => ShellyChanges.Gen2;

    public IRestoreProtocol? Restore { get; }

    public string? NoRestoreReason => null;

    /// <summary>Any generation: the <c>shelly</c> option covers both, and Gen1 devices are identified as such.</summary>
    public Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken) => _gen1.IdentifyAsync(access, cancellationToken);

    public async Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken)
    {
        var (zip, version) = await DownloadAsync(access, cancellationToken);
        return new DownloadedBackup(zip, "zip", version);
    }

    /// <summary>Every part of the device's configuration as the backup's zip, and the firmware version; also what a restore reads the device's state from.</summary>
    public async Task<(byte[] Zip, string? Version)> DownloadAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        access = access with { UsesDigest = true };
        var info = PartCheck.JsonObject(await RpcAsync(access, "Shelly.GetDeviceInfo", cancellationToken), "Shelly.GetDeviceInfo", passwordSent: false, "mac");
        var zip = new BackupZip();
        zip.Add("Shelly.GetConfig.json", PartCheck.JsonObject(await RpcAsync(access, "Shelly.GetConfig", cancellationToken), "Shelly.GetConfig", access.HasPassword, "sys"));
        await AddScriptsAsync(zip, access, cancellationToken);
        if (await KvsAsync(access, cancellationToken) is { } kvs)
        {
            zip.Add("KVS.GetMany.json", kvs);
        }

        foreach (var (method, key) in new[] { ("Schedule.List", "jobs"), ("Webhook.List", "hooks") })
        {
            var answer = await RpcAsync(access, method, cancellationToken);
            if (!IsMissing(answer))
            {
                zip.Add($"{method}.json", PartCheck.JsonObject(answer, method, access.HasPassword, key));
            }
        }

        zip.Add("Shelly.GetDeviceInfo.json", info);
        return (zip.ToArray(_time), ShellyInfo.Parse(info, "Shelly.GetDeviceInfo", out _)?.Version);
    }

    /// <summary>A script's file name in the zip: its id, then its name reduced to safe characters.</summary>
    public static string ScriptFileName(long id, string? name)
    {
        var safe = new StringBuilder();
        foreach (var c in name ?? string.Empty)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var text = safe.ToString().Trim('.');
        if (text.EndsWith(".js", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^3];
        }

        return $"scripts/{id}_{(text.Length == 0 ? "script" : text[..Math.Min(text.Length, 64)])}.js";
    }

    /// <summary>An RPC the device does not have (no such component or method): its part is left out, as the contract allows.</summary>
    private static bool IsMissing(HttpAnswer answer)
    {
        if (answer.StatusCode == 404)
        {
            return true;
        }

        if (answer.StatusCode is 400 or 500 && JsonRead.Object(answer.Body, out _) is { } document)
        {
            using (document)
            {
                return JsonRead.Int64(document.RootElement, "code") is -114 or 404 or -105;
            }
        }

        return false;
    }

    private Task<HttpAnswer> RpcAsync(DeviceAccess access, string method, CancellationToken cancellationToken, string? query = null) =>
        _http.GetAsync(access.Url($"/rpc/{method}{(query is null ? "" : "?" + query)}"), access, _options.RequestTimeout, MaxBytes, cancellationToken);

    private async Task AddScriptsAsync(BackupZip zip, DeviceAccess access, CancellationToken cancellationToken)
    {
        var list = await RpcAsync(access, "Script.List", cancellationToken);
        if (IsMissing(list))
        {
            return;
        }

        using var document = JsonDocument.Parse(PartCheck.JsonObject(list, "Script.List", access.HasPassword, "scripts"));
        foreach (var script in document.RootElement.GetProperty("scripts").EnumerateArray())
        {
            var id = JsonRead.Int64(script, "id") ?? throw DeviceException.Of(FailureKind.InvalidJson, "Script.List names a script without an id");
            var name = JsonRead.String(script, "name");
            zip.Add(ScriptFileName(id, name), await ScriptCodeAsync(access, id, name, cancellationToken));
        }
    }

    /// <summary>The whole script, chunk by chunk until nothing is left; its length must be what the first chunk promised.</summary>
    private async Task<byte[]> ScriptCodeAsync(DeviceAccess access, long id, string? name, CancellationToken cancellationToken)
    {
        var what = $"Shelly script {id} `{name}`";
        var code = new MemoryStream();
        long? total = null;
        while (true)
        {
            var answer = await RpcAsync(access, "Script.GetCode", cancellationToken, $"id={id}&offset={code.Length}&len={ChunkBytes}");
            using var document = JsonDocument.Parse(PartCheck.JsonObject(answer, what, access.HasPassword, "data"));
            var data = Encoding.UTF8.GetBytes(JsonRead.String(document.RootElement, "data") ?? string.Empty);
            var left = JsonRead.Int64(document.RootElement, "left") ?? 0;
            total ??= data.Length + left;
            code.Write(data);
            if (code.Length + left != total)
            {
                throw DeviceException.Of(FailureKind.Truncated, $"{what} changed length while it was read ({total} bytes promised, {code.Length} read with {left} left)");
            }

            if (left == 0)
            {
                break;
            }

            if (data.Length == 0)
            {
                throw DeviceException.Of(FailureKind.Truncated, $"{what} came back shorter than the device reported ({code.Length} of {total} bytes)");
            }
        }

        return code.ToArray();
    }

    /// <summary>Every KVS item: firmware 1.5 and later pages them ({items: [...], offset, total}); older ones send a map at once.</summary>
    private async Task<byte[]?> KvsAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var first = await RpcAsync(access, "KVS.GetMany", cancellationToken);
        if (IsMissing(first))
        {
            return null;
        }

        var body = PartCheck.JsonObject(first, "KVS.GetMany", access.HasPassword, "items");
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("items").ValueKind != JsonValueKind.Array || JsonRead.Int64(root, "total") is not { } total)
        {
            return body;
        }

        var items = root.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
        while (items.Count < total)
        {
            var page = PartCheck.JsonObject(await RpcAsync(access, "KVS.GetMany", cancellationToken, $"offset={items.Count}"), "KVS.GetMany", access.HasPassword, "items");
            using var pageDocument = JsonDocument.Parse(page);
            var more = pageDocument.RootElement.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
            if (more.Count == 0)
            {
                throw DeviceException.Of(FailureKind.Truncated, $"KVS.GetMany came back with {items.Count} of the {total} items the device reported");
            }

            items.AddRange(more);
        }

        using var merged = new MemoryStream();
        using (var writer = new Utf8JsonWriter(merged))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteNumber("offset", 0);
            writer.WriteNumber("total", total);
            writer.WriteEndObject();
        }

        return merged.ToArray();
    }
}
