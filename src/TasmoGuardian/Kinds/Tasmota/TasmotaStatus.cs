using TasmoGuardian.Configuration;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary><c>/cm?cmnd=Status 0</c>, which identifying a device and probing it before and after a restore both ask.</summary>
internal static class TasmotaStatus
{
    private const int MaxStatusBytes = 256 * 1024;

    /// <summary>The whole status as the device answered it; anything but 200 is a failure with its reason.</summary>
    public static async Task<HttpAnswer> AskAsync(DeviceHttp http, DeviceAccess access, GuardianOptions options, CancellationToken cancellationToken)
    {
        // /cm takes the credentials as query arguments (the only page that does); the others want Basic auth.
        var query = "cmnd=Status%200" + (access.HasPassword
            ? $"&user={Uri.EscapeDataString(access.Username)}&password={Uri.EscapeDataString(access.Password!)}"
            : string.Empty);
        return DeviceHttp.RequireOk(
            await http.GetAsync(access.Url($"/cm?{query}"), null, options.RequestTimeout, MaxStatusBytes, cancellationToken),
            "/cm",
            access.HasPassword);
    }
}
