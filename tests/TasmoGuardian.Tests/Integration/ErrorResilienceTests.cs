using TasmoGuardian.Devices;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Configuration;
using TasmoGuardian.Hosting;
using TasmoGuardian.Storage;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// One error never ends the add-on: the database refusing a write (here through a trigger that raises, a real SQLite
/// error on a real file), or a file that cannot be written, is logged once and everything carries on.
/// </summary>
public sealed class ErrorResilienceTests : IntegrationContext
{
    private const string Refuse = "SELECT RAISE(ABORT, 'disk I/O error (injected)')";

    [Fact]
    public async Task RunRecordTheDatabaseRefuses_IsLogged_AndTheWorkerCarriesOn()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        Sql.Execute(Folder.Database, $"CREATE TRIGGER refuse_runs BEFORE INSERT ON runs BEGIN {Refuse}; END;");

        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Events("backup_all_finished").Count == 1, Waits.Long, () => Recorder.Summary());
        await Eventually.TrueAsync(() => app.LogText().Contains("finished, but its record could not be stored: SQLite Error 19: 'disk I/O error (injected)'", StringComparison.Ordinal), Waits.Short, () => app.LogText());

        // Still working: another run, and a single press.
        Sql.Execute(Folder.Database, "DROP TRIGGER refuse_runs;");
        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Events("backup_all_finished").Count == 2, Waits.Long, () => Recorder.Summary());
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count == 3, Waits.Long, () => Recorder.Summary());
        Assert.Equal(1, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task ConfiguredDeviceTheDatabaseRefuses_IsRetried_AndAppearsOnceItCan()
    {
        var boiler = Own(FakeTasmota.Start("Boiler"));
        await new Database(new GuardianPaths(Folder.OptionsFile, Folder.Data)).MigrateAsync(CancellationToken.None);
        Sql.Execute(Folder.Database, $"CREATE TRIGGER refuse_devices BEFORE INSERT ON devices BEGIN {Refuse}; END;");
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, Devices = [new DeviceOption(boiler.Host, DeviceType.Tasmota, null, null)] };
        await using var app = await StartAppAsync(options);

        await Eventually.TrueAsync(() => app.LogText().Contains($"Identified the Tasmota device at {boiler.Host}, but cannot store it", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Sql.Execute(Folder.Database, "DROP TRIGGER refuse_devices;");
        await PressAsync("tasmo_guardian/hub/refresh");

        await WaitForJsonAsync(ConfigTopic(boiler), c => (string?)c["device"]!["name"] == "Boiler", "the device once the database takes it");
    }

    [Fact]
    public async Task PruningTheDatabaseRefuses_LeavesTheNewBackupASuccess_AndLosesNothing()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { KeepBackups = 1 });
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count == 1, Waits.Long, () => Recorder.Summary());
        Sql.Execute(Folder.Database, $"CREATE TRIGGER refuse_pruning BEFORE DELETE ON backups BEGIN {Refuse}; END;");

        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");

        await Eventually.TrueAsync(() => Events("backup_succeeded").Count == 2, Waits.Long, () => Recorder.Summary());
        await Eventually.TrueAsync(() => app.LogText().Contains("Backup of Kitchen is saved, but removing old backups failed", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Empty(Events("backup_failed"));
        await WaitForJsonAsync(StateTopic(device), s => (string?)s["last_result"] == "success" && (int?)s["backups"] == 2, "a success with both backups");
        ProcessTests.AssertFilesAndRowsAgree(Folder);

        Sql.Execute(Folder.Database, "DROP TRIGGER refuse_pruning;");
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
        await WaitForJsonAsync(StateTopic(device), s => (int?)s["backups"] == 1, "pruned to one once the database takes it");
        ProcessTests.AssertFilesAndRowsAgree(Folder);
    }

    [Fact]
    public async Task HealthFileThatCannotBeWritten_IsLoggedOnce_AndWrittenOnceItCan()
    {
        var folder = Path.Combine(Folder.Root, "not-yet");
        var file = Path.Combine(folder, "healthy");
        await using var app = await StartAppAsync(services: s => s.AddSingleton(new HealthFileSettings(file) { Interval = TimeSpan.FromMilliseconds(200) }));

        await Eventually.TrueAsync(() => app.LogText().Contains($"Cannot write the health file {file}", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Directory.CreateDirectory(folder);

        await Eventually.TrueAsync(() => File.Exists(file), Waits.Short, "the health file");
        Assert.Single(app.Logs.Entries, e => e.Message.Contains("Cannot write the health file", StringComparison.Ordinal));
        Assert.Contains($"The health file {file} is written again", app.LogText(), StringComparison.Ordinal);
    }
}
