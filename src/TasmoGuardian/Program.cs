using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using TasmoGuardian.Configuration;
using TasmoGuardian.Hosting;

namespace TasmoGuardian;

/// <summary>The composition root: read the command line and options, find the broker, wire the stages, run.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CommandLine commandLine;
        GuardianOptions options;
        IReadOnlyList<string> warnings;
        try
        {
            commandLine = CommandLine.Parse(args);
            if (commandLine.ShowHelp || commandLine.ShowVersion)
            {
                Console.WriteLine(commandLine.ShowHelp ? CommandLine.Usage : $"{GuardianInfo.Name} {GuardianInfo.Version}");
                return 0;
            }

            if (commandLine.SnapshotDatabase)
            {
                return await SnapshotAsync(commandLine.Paths);
            }

            if (commandLine.Diff is { } diff)
            {
                return await DiffCommand.RunAsync(diff.A, diff.B, Console.Out, Console.Error);
            }

            (options, warnings) = OptionsLoader.Load(commandLine.Paths.OptionsFile);
        }
        catch (OptionsException ex)
        {
            // One clear line, nothing started.
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        using var loggers = LoggerFactory.Create(logging => ConfigureLogging(logging, options));
        var logger = loggers.CreateLogger(typeof(Program).FullName!);
        HostLog.Starting(logger, GuardianInfo.Version, TimeZoneInfo.Local.Id, options.ToString());
        foreach (var warning in warnings)
        {
            HostLog.OptionWarning(logger, warning);
        }

        using var broker = BrokerSource.For(options, Environment.GetEnvironmentVariable);
        if (broker.AsksTheSupervisor)
        {
            try
            {
                await broker.GetAsync(askAgain: false, CancellationToken.None);
            }
            catch (SupervisorException ex) when (ex.IsPermanent)
            {
                HostLog.CannotStart(logger, ex.Message);
                return 3;
            }
            catch (SupervisorException)
            {
                // Not there yet (the Mosquitto add-on may start after us): the connection keeps asking, and says so.
            }
        }

        // Only the hub's link into Home Assistant depends on it; a Supervisor that does not answer in time costs nothing else.
        using var supervisorHttp = new HttpClient();
        var slug = await SupervisorInfo.AskSlugAsync(Environment.GetEnvironmentVariable, supervisorHttp, TimeSpan.FromSeconds(5));

        using var host = CreateBuilder(options, commandLine.Paths, broker, link: HomeAssistant.HubLink.For(slug)).Build();
        var loops = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        try
        {
            await host.RunAsync();

            // A loop that died on an error nobody foresaw stopped the host (see CreateBuilder): say so with the exit
            // code, so the add-on stops visibly and the Supervisor's watchdog starts it again.
            var failed = loops.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
            if (failed.Count > 0)
            {
                HostLog.BackgroundTaskFailed(logger, string.Join(", ", failed.Select(s => s.GetType().Name)), failed[0].ExecuteTask!.Exception!.GetBaseException().Message);
                return 1;
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            // SIGTERM while starting (the Supervisor stops the add-on before it was up): a stop, not a crash. RunAsync
            // has disposed what had started; nothing was running yet that a graceful stop would have to finish.
            HostLog.StoppedWhileStarting(logger);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            HostLog.CannotStart(logger, ex.Message);
            return 1;
        }
    }

    /// <summary>The whole program as a host; tests build it with their own clock and settings.</summary>
    internal static HostApplicationBuilder CreateBuilder(GuardianOptions options, GuardianPaths paths, BrokerSource broker, TimeProvider? time = null, HomeAssistant.HubLink? link = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging, options);

        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = StopBudget.Host;

            // Every loop catches and logs the errors it can meet (a device, the broker, the database, the disk) and
            // carries on. An exception that still escapes one is a bug that may have left that loop dead (no more
            // backups, no more states): stop the whole program rather than run on half alive, so the failure shows
            // and the Supervisor's watchdog restarts the add-on.
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton(link ?? HomeAssistant.HubLink.For(null));

        builder.AddGuardianStorage()
            .AddGuardianDevices()
            .AddGuardianKinds()
            .AddGuardianBackups()
            .AddGuardianHomeAssistant()
            .AddGuardianMqtt()
            .AddGuardianHousekeeping();
        return builder;
    }

    /// <summary>config.yaml's backup_pre: a consistent copy of the database for Home Assistant's backup, while the add-on runs.</summary>
    private static async Task<int> SnapshotAsync(GuardianPaths paths)
    {
        var database = new Storage.Database(paths);
        if (!File.Exists(database.FilePath))
        {
            await Console.Out.WriteLineAsync($"No database at {database.FilePath} yet: nothing to copy.");
            return 0;
        }

        try
        {
            await database.SnapshotAsync(CancellationToken.None);
            await Console.Out.WriteLineAsync($"Wrote a consistent copy of the database to {database.SnapshotPath}.");
            return 0;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            // Non-zero: the Supervisor then reports the backup as failed instead of storing an inconsistent one.
            await Console.Error.WriteLineAsync($"Cannot copy the database for the backup: {ex.Message}");
            return 1;
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, GuardianOptions options)
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
            console.IncludeScopes = false;
        });
        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }
}
