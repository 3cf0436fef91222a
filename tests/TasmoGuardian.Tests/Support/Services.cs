using Microsoft.Extensions.Logging.Abstractions;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Repair;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Net;
using TasmoGuardian.Storage;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Support;

/// <summary>The storage and file stages wired by hand, for tests below the host.</summary>
internal sealed class Services
{
    public Services(TestFolder folder, GuardianOptions? options = null, IBackupFileSystem? fileSystem = null, TimeProvider? time = null)
    {
        Options = options ?? new GuardianOptions { BackupDir = folder.Backups };
        Time = time ?? TimeProvider.System;
        Database = new Database(new GuardianPaths(folder.OptionsFile, folder.Data));
        Devices = new DeviceStore(Database);
        Backups = new BackupStore(Database);
        Files = new BackupFiles(Options, fileSystem ?? new PhysicalBackupFileSystem(), Time, NullLogger<BackupFiles>.Instance);
        Registry = new DeviceRegistry(Devices, Problems, Time, NullLogger<DeviceRegistry>.Instance);
        Storage = new BackupStorage(Files, Problems, Options);
        Kinds = new KindCatalog([new TasmotaKind(new DeviceHttp(new HttpClient(), TimeProvider.System), Options, Time)]);
        Reconciler = new BackupReconciler(Files, Backups, Devices, Storage, Kinds, Time, NullLogger<BackupReconciler>.Instance);
    }

    public GuardianOptions Options { get; }

    public TimeProvider Time { get; }

    public Database Database { get; }

    public DeviceStore Devices { get; }

    public BackupStore Backups { get; }

    public BackupFiles Files { get; }

    public DeviceRegistry Registry { get; }

    public HubProblems Problems { get; } = new();

    public BackupStorage Storage { get; }

    public KindCatalog Kinds { get; }

    public BackupReconciler Reconciler { get; }

    public async Task<Device> AddDeviceAsync(string name = "Kitchen", string mac = "A1B2C3D4E5F6")
    {
        await Database.MigrateAsync(CancellationToken.None);
        await Registry.LoadAsync([], CancellationToken.None);
        return await Registry.ApplyAsync(new DeviceObservation(Mac.Parse(mac), DeviceType.Tasmota) { Name = name, NameSource = NameSource.DeviceName, Ip = "10.0.0.2" }, CancellationToken.None);
    }

    /// <summary>What a start does with storage (StorageInitializer): start-up repair, then the devices loaded and recounted.</summary>
    public async Task RestartAsync()
    {
        await Reconciler.RunAsync(CancellationToken.None);
        await Registry.LoadAsync([], CancellationToken.None);
    }

    public async Task<SavedBackup> SaveAndRecordAsync(Device device, DateTimeOffset when, byte[]? content = null, byte[]? userFiles = null)
    {
        content ??= TasmotaDumpBuilder.Build();
        var saved = await Files.SaveAsync(device, content, userFiles, "dmp", "13.1.0", when, CancellationToken.None);
        var record = new BackupRecord(0, device.Id, saved.RelativePath, saved.Size, saved.Sha256, "13.1.0", when) { FilesFileName = saved.FilesRelativePath };
        var id = await Registry.RecordBackupAsync(device.Mac, record, when, BackupComparison.NotKnown("a test's backup"), CancellationToken.None);
        return saved with { RecordId = id };
    }
}
