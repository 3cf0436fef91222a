using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Support;

/// <summary>
/// The whole program, built by Program.CreateBuilder exactly as in production, running in the test process against a
/// real broker; only the log sink and Home Assistant's republish delay are the test's.
/// </summary>
internal sealed class GuardianApp : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private GuardianApp(IHost host, CollectingLoggerProvider logs, GuardianOptions options)
    {
        _host = host;
        Logs = logs;
        Options = options;
    }

    public CollectingLoggerProvider Logs { get; }

    public GuardianOptions Options { get; }

    public IServiceProvider Services => _host.Services;

    public static GuardianOptions DefaultOptions(TestFolder folder) => new()
    {
        BackupDir = folder.Backups,
        Schedule = null,
        BackupMinHours = 0,
        RequestTimeoutSeconds = 5,
        LogLevel = LogLevel.Debug,
    };

    public static Task<GuardianApp> StartAsync(
        MosquittoBroker broker,
        TestFolder folder,
        GuardianOptions? options = null,
        Action<IServiceCollection>? services = null,
        TimeProvider? time = null) =>
        StartAsync(new MqttSettings(broker.Host, broker.Port, broker.Username, broker.Password, false, "the test"), folder, options, services, time);

    /// <summary>The program against any broker, such as a <see cref="ScriptedBroker"/> that withholds an acknowledgement.</summary>
    public static async Task<GuardianApp> StartAsync(
        MqttSettings mqtt,
        TestFolder folder,
        GuardianOptions? options = null,
        Action<IServiceCollection>? services = null,
        TimeProvider? time = null)
    {
        options ??= DefaultOptions(folder);
        var builder = Program.CreateBuilder(options, new GuardianPaths(folder.OptionsFile, folder.Data), BrokerSource.Fixed(mqtt), time);
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(new PublisherSettings { BirthDelayMin = TimeSpan.FromMilliseconds(20), BirthDelayMax = TimeSpan.FromMilliseconds(60) });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new GuardianApp(host, logs, options);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public string LogText(LogLevel minimum = LogLevel.Trace) =>
        string.Join("\n", Logs.Entries.Where(e => e.Level >= minimum).Select(e => e.ToString()));

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _host.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        Logs.Dispose();
    }
}
