using System.Collections.Concurrent;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Devices;

/// <summary>The registry against a real SQLite file: every change lands, in any interleaving.</summary>
public sealed class DeviceRegistryTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task ObservationsAndBackupResults_InterleavedInTheHundreds_LoseNothing()
    {
        const int Rounds = 300;
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var registry = services.Registry;
        var seen = new ConcurrentQueue<Device>();
        registry.Changed += (_, e) => seen.Enqueue(e.Device);
        var start = new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);

        // Two sources at once, as in the add-on: telemetry moving the device around, and the worker recording backups.
        var observations = Task.Run(async () =>
        {
            for (var i = 1; i <= Rounds; i++)
            {
                await registry.ApplyAsync(new DeviceObservation(device.Mac, DeviceType.Tasmota) { Ip = $"10.1.{i / 250}.{(i % 250) + 1}", Version = $"13.{i}.0" }, CancellationToken.None);
            }
        });
        var results = Task.Run(async () =>
        {
            for (var i = 1; i <= Rounds; i++)
            {
                await registry.RecordBackupAsync(device.Mac, new BackupRecord(0, device.Id, $"Kitchen/{i}.dmp", 4000 + i, "ab", "13.1.0", start.AddMinutes(i)), start.AddMinutes(i), BackupComparison.NotKnown("a test's backup"), CancellationToken.None);
            }
        });
        await Task.WhenAll(observations, results);

        var final = registry.Find(device.Mac)!;
        Assert.Equal((Rounds, start.AddMinutes(Rounds), 4000L + Rounds, BackupResultState.Success), (final.NoOfBackups, final.LastBackup, final.LastBackupSize, final.LastResult));
        Assert.Equal(($"10.1.{Rounds / 250}.{(Rounds % 250) + 1}", $"13.{Rounds}.0"), (final.Ip, final.Version));

        // What listeners heard never went backwards: no change was made to a copy another change had made stale.
        var counts = seen.Select(d => d.NoOfBackups).ToList();
        var versions = seen.Select(d => d.Version is null ? 0 : int.Parse(d.Version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(versions.Order(), versions);

        // And the database agrees with memory on what it stores.
        var stored = (await services.Devices.LoadAllAsync(CancellationToken.None)).Known.Single();
        Assert.Equal((final.Ip, final.Version), (stored.Ip, stored.Version));
    }

    [Fact]
    public async Task AnUnchangedBackupWithoutAFile_MovesLastBackupOn_ButNotTheCount_AndKeepsItOverARestartAndRetention()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        var first = new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
        var old = await services.SaveAndRecordAsync(device, first.AddDays(-1));
        var kept = await services.SaveAndRecordAsync(device, first);
        var comparison = BackupComparison.Of([], kept.RelativePath);

        await services.Registry.RecordUnchangedAsync(device.Mac, kept.RecordId, first.AddDays(3), comparison, CancellationToken.None);

        var now = services.Registry.Find(device.Mac)!;
        Assert.Equal((2, first.AddDays(3), BackupResultState.Success, comparison), (now.NoOfBackups, now.LastBackup, now.LastResult, now.LastComparison));

        // A restart recounts every device from its rows: the confirmation goes with its row.
        await services.RestartAsync();
        var reloaded = services.Registry.Find(device.Mac)!;
        Assert.Equal((2, first.AddDays(3), false, 0, kept.RelativePath), (reloaded.NoOfBackups, reloaded.LastBackup, reloaded.LastComparison!.Changed, reloaded.LastComparison.Changes.Count, reloaded.LastComparison.ComparedWith));

        // Forgetting an older row keeps it; forgetting the confirmed row takes its time along.
        await services.Registry.ForgetBackupsAsync(device.Mac, [old.RecordId], CancellationToken.None);
        Assert.Equal((1, first.AddDays(3)), (services.Registry.Find(device.Mac)!.NoOfBackups, services.Registry.Find(device.Mac)!.LastBackup));
        await services.Registry.ForgetBackupsAsync(device.Mac, [kept.RecordId], CancellationToken.None);
        Assert.Equal((0, (DateTimeOffset?)null), (services.Registry.Find(device.Mac)!.NoOfBackups, services.Registry.Find(device.Mac)!.LastBackup));
    }

    [Fact]
    public async Task IncludeSwitch_IsStored_AndSurvivesAReload()
    {
        var services = new Services(_folder);
        var device = await services.AddDeviceAsync();
        Assert.True(device.Include);

        await services.Registry.SetIncludeAsync(device.Mac, false, CancellationToken.None);

        var reloaded = new DeviceRegistry(services.Devices, new HubProblems(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DeviceRegistry>.Instance);
        await reloaded.LoadAsync([], CancellationToken.None);
        Assert.False(reloaded.Find(device.Mac)!.Include);
        Assert.NotNull(reloaded.Find(device.Mac)!.FirstSeen);
    }

    [Fact]
    public async Task ABetterName_ReplacesATopicName_ButNeverTheOtherWayRound()
    {
        var services = new Services(_folder);
        await services.Database.MigrateAsync(CancellationToken.None);
        var mac = Mac.Parse("A0B1C2550002");
        Task<Device> Seen(string name, NameSource source) =>
            services.Registry.ApplyAsync(new DeviceObservation(mac, DeviceType.Tasmota) { Name = name, NameSource = source }, CancellationToken.None);

        Assert.Equal("tasmota_550002", (await Seen("tasmota_550002", NameSource.Topic)).Name);
        Assert.Equal("Hall light", (await Seen("Hall light", NameSource.FriendlyName)).Name);
        Assert.Equal("Hall", (await Seen("Hall", NameSource.DeviceName)).Name);
        Assert.Equal("Hall", (await Seen("tasmota_550002", NameSource.Topic)).Name);
        Assert.Equal("Hall", (await Seen("Hall light", NameSource.FriendlyName)).Name);
    }

    public void Dispose() => _folder.Dispose();
}
