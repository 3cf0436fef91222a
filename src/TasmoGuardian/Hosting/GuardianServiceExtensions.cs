using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Devices.Tasmota;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Scheduling;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Hosting;

/// <summary>
/// One registration per stage of the flow. Hosted services start in the order added and stop in reverse: storage
/// first, listeners before the connection (so its first CONNECT restores every subscription), timers last.
/// </summary>
internal static class GuardianServiceExtensions
{
    public static IHostApplicationBuilder AddGuardianStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MemoryTrim>();
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<DeviceStore>();
        builder.Services.AddSingleton<BackupStore>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<BackupReconciler>();
        builder.Services.AddHostedService<StorageInitializer>();
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianDevices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<DeviceCredentials>();
        builder.Services.AddSingleton<InventoryRefresh>();
        builder.Services.AddSingleton(_ => DeviceHttp.CreateClient());
        // Network deadlines run on real time, whatever clock the program is given: a test's manual clock moves the
        // calendar (schedule, skip rule, file names) across days without timing out every request in flight.
        builder.Services.AddSingleton(sp => new DeviceHttp(sp.GetRequiredService<HttpClient>(), TimeProvider.System));
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianBackups(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IBackupFileSystem, PhysicalBackupFileSystem>();
        builder.Services.AddSingleton<BackupFiles>();
        builder.Services.AddSingleton<TasmotaDownloader>();
        builder.Services.AddSingleton<WledDownloader>();
        builder.Services.AddSingleton<BackupService>();
        builder.Services.AddSingleton<BackupWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackupWorker>());
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianHomeAssistant(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HomeAssistantTopics>();
        builder.Services.AddSingleton<PublisherSettings>();
        builder.Services.AddSingleton<HomeAssistantPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HomeAssistantPublisher>());
        builder.Services.AddHostedService<CommandListener>();
        builder.Services.AddSingleton<TasmotaInventory>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TasmotaInventory>());
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianMqtt(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new ManagedMqttClient(
            MqttConnectionService.CreateOptions(sp.GetRequiredService<BrokerSource>(), sp.GetRequiredService<HomeAssistantTopics>()),
            sp.GetRequiredService<ILogger<ManagedMqttClient>>(),
            TimeProvider.System));
        builder.Services.AddHostedService<MqttConnectionService>();
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianBackground(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConfiguredDeviceIdentifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfiguredDeviceIdentifier>());
        builder.Services.AddHostedService<ScheduledBackupService>();
        builder.Services.AddSingleton(new HealthFileSettings(Environment.GetEnvironmentVariable(HealthFileService.Variable)));
        builder.Services.AddHostedService<HealthFileService>();
        return builder;
    }
}
