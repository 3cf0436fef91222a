using System.Net.Http.Headers;
using TasmoGuardian.Json;

namespace TasmoGuardian.Configuration;

/// <summary>
/// What the Supervisor tells an app about itself (<c>GET /addons/self/info</c>, open to every app without hassio_api):
/// its slug as installed, which carries the repository's hash ("a0d7b954_tasmo_guardian"), for links into Home
/// Assistant's own page of the app.
/// </summary>
internal static class SupervisorInfo
{
    /// <summary>The installed slug; null outside Home Assistant, or when the Supervisor does not say in time.</summary>
    public static async Task<string?> AskSlugAsync(Func<string, string?> environment, HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(http);
        var token = environment("SUPERVISOR_TOKEN") ?? environment("HASSIO_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var url = (environment(MqttSettingsResolver.SupervisorUrlVariable) ?? MqttSettingsResolver.DefaultSupervisorUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/addons/self/info");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonRead.Object(await response.Content.ReadAsByteArrayAsync(deadline.Token), out _);
            var slug = document is { } d && JsonRead.Child(d.RootElement, "data") is { } data ? JsonRead.String(data, "slug") : null;
            return slug is { Length: > 0 and <= 100 } && slug.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? slug : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Only a link depends on it: the hub then points at the project's page.
            return null;
        }
    }
}
