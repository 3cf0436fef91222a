using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary><c>GET /shelly</c>: every generation answers it without authentication, and its "gen" tells them apart.</summary>
internal static class ShellyProbe
{
    private const int MaxBytes = 64 * 1024;

    public static async Task<ShellyInfo> AskAsync(DeviceHttp http, DeviceAccess access, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await AskRawAsync(http, access, timeout, cancellationToken)).Info;

    /// <summary>The parsed answer and its bytes as served (kept as shelly.json in a Gen1 backup).</summary>
    public static async Task<(ShellyInfo Info, byte[] Body)> AskRawAsync(DeviceHttp http, DeviceAccess access, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(access);
        var answer = DeviceHttp.RequireOk(await http.GetAsync(access.Url("/shelly"), null, timeout, MaxBytes, cancellationToken), "/shelly", passwordSent: false);
        if (WebPage.LooksLikeHtml(answer.Body))
        {
            throw DeviceException.Of(FailureKind.HtmlPage, "/shelly is a web page, not a Shelly's answer");
        }

        var info = ShellyInfo.Parse(answer.Body, "/shelly", out var problem) ?? throw DeviceException.Of(FailureKind.NotADump, problem!);
        return (info, answer.Body);
    }
}
