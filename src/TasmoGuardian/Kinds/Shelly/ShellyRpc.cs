using System.Net.Http.Headers;
using System.Text.Json;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// RPC calls to a Gen2+ Shelly over HTTP (research §4.2): <c>GET /rpc/&lt;Method&gt;</c> for reads, <c>POST
/// /rpc/&lt;Method&gt;</c> with the parameters as a JSON body for writes; either answers the plain result, or an error
/// object <c>{"code":…,"message":…}</c> with a status other than 200 (400 seen for -103). Digest authentication is
/// answered when the device asks for it.
/// </summary>
internal sealed class ShellyRpc
{
    private const int MaxBytes = 4 * 1024 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public ShellyRpc(DeviceHttp http, GuardianOptions options)
    {
        _http = http;
        _options = options;
    }

    /// <summary>The access as Gen2+ firmware wants it: Digest, never a password in a Basic header.</summary>
    public static DeviceAccess Digest(DeviceAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        return access with { UsesDigest = true };
    }

    /// <summary>A read without parameters: the result, a JSON object with every key in <paramref name="keys"/>.</summary>
    public async Task<byte[]> GetAsync(DeviceAccess access, string method, CancellationToken cancellationToken, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(access);
        var answer = await _http.GetAsync(access.Url($"/rpc/{method}"), Digest(access), _options.RequestTimeout, MaxBytes, cancellationToken);
        return PartCheck.JsonObject(answer, method, access.HasPassword, keys);
    }

    /// <summary>
    /// A call with <paramref name="parameters"/> (a JSON object): its result, cloned (<c>null</c> for methods without
    /// one). An error the device answers is a <see cref="FailureKind.RestoreRejected"/> naming the method and the
    /// device's own message; a wrong password is <see cref="FailureKind.WrongPassword"/>.
    /// </summary>
    public async Task<JsonElement> CallAsync(DeviceAccess access, string method, byte[] parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(parameters);
        var answer = await _http.PostAsync(
            access.Url($"/rpc/{method}"),
            () => new ByteArrayContent(parameters) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            Digest(access),
            _options.RequestTimeout,
            MaxBytes,
            cancellationToken);
        if (answer.StatusCode != 200 && answer.StatusCode != 401 && JsonRead.Object(answer.Body, out _) is { } error)
        {
            using (error)
            {
                if (JsonRead.Int64(error.RootElement, "code") is { } code)
                {
                    var message = JsonRead.String(error.RootElement, "message") ?? "no message";
                    throw DeviceException.Of(FailureKind.RestoreRejected, $"the device refused {method}: \"{DeviceText.Shorten(message, 120)}\" ({code})");
                }
            }
        }

        DeviceHttp.RequireOk(answer, method, access.HasPassword);
        using var document = PartCheck.Json(answer.Body, method, "an RPC result");
        return document.RootElement.Clone();
    }
}
