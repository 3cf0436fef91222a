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

        MqttSettings mqtt;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            mqtt = await MqttSettingsResolver.ResolveAsync(options, Environment.GetEnvironmentVariable, http, CancellationToken.None);
        }
        catch (SupervisorException ex)
        {
            HostLog.CannotStart(logger, ex.Message);
            return 3;
        }

        using var host = CreateBuilder(options, commandLine.Paths, mqtt).Build();
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            HostLog.CannotStart(logger, ex.Message);
            return 1;
        }
    }

    /// <summary>The whole program as a host; tests build it with their own clock and settings.</summary>
    internal static HostApplicationBuilder CreateBuilder(GuardianOptions options, GuardianPaths paths, MqttSettings mqtt, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging, options);

        // The Supervisor gives an add-on 10 s to stop before it kills it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(mqtt);
        builder.Services.AddSingleton(time ?? TimeProvider.System);

        builder.AddGuardianStorage()
            .AddGuardianDevices()
            .AddGuardianBackups()
            .AddGuardianHomeAssistant()
            .AddGuardianMqtt()
            .AddGuardianBackground();
        return builder;
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
