using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Repair;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// backup_dir renamed away while the add-on is stopped (a share not mounted yet, a renamed folder, a changed option):
/// the add-on starts, forgets nothing, says why on the hub, and is whole again when the folder is back.
/// </summary>
public sealed class BackupFolderAwayTests : IntegrationContext
{
    [Fact]
    public async Task AMissingBackupDir_ForgetsNoBackup_SaysWhyOnTheHub_AndClearsWhenItIsBack()
    {
        var plug = await DiscoveredTasmotaAsync("Plug");
        var lamp = await DiscoveredTasmotaAsync("Lamp");
        await using (var first = await StartAppAsync())
        {
            await BackUpAsync(plug);
            await BackUpAsync(lamp);
            await BackUpAsync(plug);
        }

        var elsewhere = Folder.Backups + ".not-mounted";
        Directory.Move(Folder.Backups, elsewhere);
        Recorder.Clear();

        await using var app = await StartAppAsync(services: s => s.AddSingleton(new BackupStorageSettings { RecheckInterval = TimeSpan.FromMilliseconds(200) }));
        var attributes = Json(await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => a["storage"] is not null, "the hub's storage problem"));
        Assert.Contains("does not exist", (string?)attributes["storage"], StringComparison.Ordinal);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (bool?)s["problem"] == true, "the hub's problem sensor");
        Assert.Equal(3, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(2, Sql.Scalar(Folder.Database, $"SELECT noofbackups FROM devices WHERE mac = '{plug.Mac}'"));
        Assert.Single(app.Logs.Entries, e => e.ToString().Contains("not where the database says", StringComparison.Ordinal));

        // The folder is back (the share is mounted): the problem clears by itself, every row has its file.
        Directory.Move(elsewhere, Folder.Backups);
        await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => a["storage"] is null, "the storage problem to clear");
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (bool?)s["problem"] == false, "the hub's problem sensor to clear");
        Assert.Equal(3, Folder.BackupFiles().Count);
        Assert.Equal(3, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
    }
}
