using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TasmoGuardian.Json;

namespace TasmoGuardian.Configuration;

/// <summary>
/// Decides which broker to use (contract.md, "Running it"): the options win; with an empty mqtt_host inside Home
/// Assistant, the Supervisor's MQTT service (the Mosquitto add-on); otherwise localhost.
/// </summary>
internal static class MqttSettingsResolver
{
    public const string SupervisorUrlVariable = "TASMO_GUARDIAN_SUPERVISOR_URL";
    public const string DefaultSupervisorUrl = "http://supervisor";

    /// <summary>The settings when they do not depend on the Supervisor; null when they do (ask with <see cref="AskAsync"/>).</summary>
    public static MqttSettings? Fixed(GuardianOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(options.MqttHost))
        {
            return new MqttSettings(options.MqttHost, options.MqttPort, options.MqttUsername, options.MqttPassword, options.MqttTls, "the options");
        }

        return string.IsNullOrEmpty(SupervisorToken(environment))
            ? new MqttSettings("localhost", options.MqttPort, options.MqttUsername, options.MqttPassword, options.MqttTls, "the defaults (no mqtt_host and no Supervisor)")
            : null;
    }

    /// <summary>Asks the Supervisor for the MQTT service (the Mosquitto add-on); a user name or password in the options wins.</summary>
    /// <exception cref="SupervisorException">No answer, or no broker; <see cref="SupervisorException.IsPermanent"/> says whether to ask again.</exception>
    public static async Task<MqttSettings> AskAsync(GuardianOptions options, Func<string, string?> environment, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var token = SupervisorToken(environment) ?? throw new SupervisorException("SUPERVISOR_TOKEN is not set.") { IsPermanent = true };
        var url = environment(SupervisorUrlVariable) ?? DefaultSupervisorUrl;
        var service = await AskSupervisorAsync(new Uri(new Uri(url.TrimEnd('/') + "/"), "services/mqtt"), token, http, cancellationToken);

        // A user name or password typed into the options still wins over the Supervisor's.
        return service with
        {
            Username = options.MqttUsername ?? service.Username,
            Password = options.MqttPassword ?? service.Password,
        };
    }

    private static string? SupervisorToken(Func<string, string?> environment)
    {
        var token = environment("SUPERVISOR_TOKEN") ?? environment("HASSIO_TOKEN");
        return string.IsNullOrEmpty(token) ? null : token;
    }

    private static async Task<MqttSettings> AskSupervisorAsync(Uri uri, string token, HttpClient http, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SupervisorException($"Cannot reach the Supervisor at {uri}: {ex.Message} Set mqtt_host to choose a broker yourself.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SupervisorException($"The Supervisor at {uri} did not answer in time. Set mqtt_host to choose a broker yourself.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonRead.Object(body, out _);
            var root = document?.RootElement;
            var message = root is { } r ? JsonRead.String(r, "message") : null;
            var error = root is not { } answer || JsonRead.String(answer, "result") == "error";
            if (!response.IsSuccessStatusCode || error)
            {
                var detail = $"HTTP {(int)response.StatusCode}{(message is null ? "" : $" \"{message}\"")}";
                if (message?.Contains("not enabled", StringComparison.OrdinalIgnoreCase) == true)
                {
                    throw new SupervisorException($"Home Assistant has no MQTT broker ({detail}): install and start the Mosquitto broker add-on, or set mqtt_host.");
                }

                if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                {
                    throw new SupervisorException($"The Supervisor refused to share the MQTT settings ({detail}): the add-on needs 'services: [mqtt:need]' in config.yaml, or set mqtt_host.") { IsPermanent = true };
                }

                throw new SupervisorException($"The Supervisor did not give the MQTT settings ({detail}). Set mqtt_host to choose a broker yourself.");
            }

            return ParseService(root!.Value);
        }
    }

    private static MqttSettings ParseService(JsonElement root)
    {
        try
        {
            var data = root.GetProperty("data");
            var host = JsonRead.String(data, "host");
            if (string.IsNullOrEmpty(host))
            {
                throw new SupervisorException("The Supervisor's MQTT settings have no host.");
            }

            // The documentation shows the port as a string, the schema as a number: accept both.
            var portElement = data.GetProperty("port");
            var port = portElement.ValueKind == JsonValueKind.Number
                ? portElement.GetInt32()
                : int.Parse(portElement.GetString() ?? string.Empty, NumberStyles.None, CultureInfo.InvariantCulture);
            var ssl = data.TryGetProperty("ssl", out var sslElement) && sslElement.ValueKind == JsonValueKind.True;
            return new MqttSettings(host, port, JsonRead.String(data, "username"), JsonRead.String(data, "password"), ssl, "the Home Assistant Supervisor");
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new SupervisorException($"The Supervisor's answer about MQTT could not be read: {ex.Message}", ex);
        }
    }
}
