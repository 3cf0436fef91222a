using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Repair;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AhoyDtu;
using TasmoGuardian.Kinds.AiOnTheEdge;
using TasmoGuardian.Kinds.Awtrix;
using TasmoGuardian.Kinds.OpenDtu;
using TasmoGuardian.Kinds.OpenHasp;
using TasmoGuardian.Kinds.Shelly;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Kinds.Wled;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Net;
using TasmoGuardian.Backups.Schedule;
using TasmoGuardian.Scheduling;
using TasmoGuardian.Storage;

namespace TasmoGuardian.Hosting;

/// <summary>
/// One registration per stage of the flow. Hosted services start in the order added and stop in reverse: storage
/// first, listeners before the connection (so its first CONNECT restores every subscription), timers last. A graceful
/// stop drains the worker first (StoppingAsync) and disconnects last (StoppedAsync), whatever the order.
/// </summary>
internal static class GuardianServiceExtensions
{
    public static IHostApplicationBuilder AddGuardianStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<DeviceStore>();
        builder.Services.AddSingleton<IDeviceStore>(sp => sp.GetRequiredService<DeviceStore>());
        builder.Services.AddSingleton<BackupStore>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<RestoreStore>();
        builder.Services.AddSingleton<BackupReconciler>();
        builder.Services.AddHostedService<StorageInitializer>();
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianDevices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubProblems>();
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<InventoryRefresh>();

        // Network deadlines run on real time, whatever clock the program is given: a test's manual clock moves the
        // calendar (schedule, skip rule, file names) across days without timing out every request in flight.
        builder.Services.AddSingleton(_ => DeviceHttp.CreateClient());
        builder.Services.AddSingleton(sp => new DeviceHttp(sp.GetRequiredService<HttpClient>(), TimeProvider.System));
        return builder;
    }

    /// <summary>Every kind of device, each in its own folder; a new kind adds its lines here and nowhere else.</summary>
    public static IHostApplicationBuilder AddGuardianKinds(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IDeviceKind, TasmotaKind>();
        builder.Services.AddSingleton<TasmotaInventory>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TasmotaInventory>());

        builder.Services.AddSingleton<IDeviceKind, WledKind>();

        builder.Services.AddSingleton<IDeviceKind, ShellyGen1Kind>();
        builder.Services.AddSingleton<IDeviceKind, ShellyGen2Kind>();
        builder.Services.AddHostedService<ShellyDiscovery>();

        builder.Services.AddSingleton<AnnouncedHosts>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnnouncedHosts>());
        builder.Services.AddSingleton<OpenDtuKind>();
        builder.Services.AddSingleton<IDeviceKind>(sp => sp.GetRequiredService<OpenDtuKind>());
        builder.Services.AddSingleton(sp => new AddressAnnouncement(sp.GetRequiredService<OpenDtuKind>(), "+/dtu/ip", OpenDtuKind.AnnouncedIp, "the payload is not an IP address"));

        builder.Services.AddSingleton<IDeviceKind, AhoyDtuKind>();

        builder.Services.AddSingleton<AiOnTheEdgeMacs>();
        builder.Services.AddSingleton<AiOnTheEdgeKind>();
        builder.Services.AddSingleton<IDeviceKind>(sp => sp.GetRequiredService<AiOnTheEdgeKind>());
        builder.Services.AddHostedService<AiOnTheEdgeDiscovery>();

        builder.Services.AddSingleton<IDeviceKind, AwtrixKind>();
        builder.Services.AddHostedService<AwtrixDiscovery>();

        builder.Services.AddSingleton<OpenHaspKind>();
        builder.Services.AddSingleton<IDeviceKind>(sp => sp.GetRequiredService<OpenHaspKind>());
        builder.Services.AddSingleton(sp =>
        {
            var plates = sp.GetRequiredService<OpenHaspKind>();
            return new AddressAnnouncement(plates, "hasp/discovery/+", plates.Announcements.Read, "the discovery message has no \"uri\" of the form http://<ip>");
        });
        builder.Services.AddHostedService<AddressAnnouncements>();

        builder.Services.AddSingleton<KindCatalog>();
        builder.Services.AddSingleton<DeviceCredentials>();
        builder.Services.AddSingleton<DeviceIdentifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeviceIdentifier>());
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianBackups(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IBackupFileSystem, PhysicalBackupFileSystem>();
        builder.Services.AddSingleton<BackupFiles>();
        builder.Services.AddSingleton<BackupStorage>();
        builder.Services.AddSingleton<BackupStorageSettings>();
        builder.Services.AddHostedService<BackupStorageWatch>();
        builder.Services.AddSingleton<RetentionHolds>();
        builder.Services.AddSingleton<ChangeDetector>();
        builder.Services.AddSingleton<DeviceBackup>();
        builder.Services.AddSingleton<DeviceRestore>();
        builder.Services.AddSingleton<RestoreSettings>();
        builder.Services.AddSingleton<BackupChoices>();
        builder.Services.AddSingleton<BackupWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackupWorker>());
        builder.Services.AddHostedService<ScheduledBackupService>();
        return builder;
    }

    public static IHostApplicationBuilder AddGuardianHomeAssistant(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HomeAssistantTopics>();
        builder.Services.AddSingleton<PublisherSettings>();
        builder.Services.AddSingleton<RestoreSelection>();
        builder.Services.AddSingleton<HomeAssistantPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HomeAssistantPublisher>());
        builder.Services.AddHostedService<CommandListener>();
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

    public static IHostApplicationBuilder AddGuardianHousekeeping(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MemoryTrim>();
        builder.Services.AddSingleton(new HealthFileSettings(Environment.GetEnvironmentVariable(HealthFileService.Variable)));
        builder.Services.AddHostedService<HealthFileService>();
        return builder;
    }
}
