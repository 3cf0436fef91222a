using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Configuration;

/// <summary>
/// Where the MQTT broker and its login come from (contract.md, "Running it"): fixed (the options, or localhost), or
/// the Supervisor's MQTT service, which is asked again after every failed attempt to connect: the Mosquitto add-on
/// may not be started yet, and it hands out new credentials each time it starts.
/// </summary>
internal sealed class BrokerSource : IDisposable
{
    private readonly MqttSettings? _fixed;
    private readonly Func<CancellationToken, Task<MqttSettings>>? _ask;
    private readonly HttpClient? _http;
    private readonly Lock _gate = new();
    private MqttSettings? _current;

    private BrokerSource(MqttSettings? fixedSettings, Func<CancellationToken, Task<MqttSettings>>? ask, HttpClient? http)
    {
        _fixed = fixedSettings;
        _ask = ask;
        _http = http;
        _current = fixedSettings;
    }

    /// <summary>Raised when settings are known for the first time or change: the one log line that names the broker.</summary>
    public event EventHandler<MqttSettings>? Changed;

    /// <summary>The settings last known, or null while the Supervisor has not answered yet.</summary>
    public MqttSettings? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public bool AsksTheSupervisor => _ask is not null;

    public static BrokerSource Fixed(MqttSettings settings) => new(settings, null, null);

    /// <summary>Chooses the source from the options and the environment (SUPERVISOR_TOKEN).</summary>
    public static BrokerSource For(GuardianOptions options, Func<string, string?> environment)
    {
        if (MqttSettingsResolver.Fixed(options, environment) is { } settings)
        {
            return Fixed(settings);
        }

        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        return new BrokerSource(null, token => MqttSettingsResolver.AskAsync(options, environment, http, token), http);
    }

    /// <summary>The settings to connect with; from the Supervisor when none are known yet or <paramref name="askAgain"/> is set.</summary>
    /// <exception cref="SupervisorException">The Supervisor gave no broker.</exception>
    public async Task<MqttSettings> GetAsync(bool askAgain, CancellationToken cancellationToken)
    {
        if (_ask is null)
        {
            return _fixed!;
        }

        var known = Current;
        if (known is not null && !askAgain)
        {
            return known;
        }

        var fresh = await _ask(cancellationToken);
        lock (_gate)
        {
            _current = fresh;
        }

        if (fresh != known)
        {
            Changed?.Invoke(this, fresh);
        }

        return fresh;
    }

    public void Dispose() => _http?.Dispose();
}
