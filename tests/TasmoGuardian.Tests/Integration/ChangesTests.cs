using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Kinds.Tasmota;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// "What changed" through the whole program (contract.md): every backup compared with the device's previous one, in its
/// event, its last_backup attributes and the hub's changed_devices; store_unchanged off keeping no file for an unchanged
/// backup while its time and result move on; a restore's pre-restore backup keeping its file regardless.
/// </summary>
public sealed class ChangesTests : IntegrationContext
{
    private const string Pir = "tasmota/Config_pir1_1255_13.0.0.dmp";

    [Fact]
    public async Task Tasmota_EachBackupSaysWhatChanged_InItsEventAndAttributes_AndTheHubNamesTheChangedDevices()
    {
        var hall = await DiscoveredTasmotaAsync("Hall PIR", d => d.Dump = Fixtures.Bytes(Pir));
        var porch = await DiscoveredTasmotaAsync("Porch");
        var attributes = $"tasmo_guardian/device/{hall.Mac.ToLowerInvariant()}/backup_attributes";
        await using (var app = await StartAppAsync())
        {
            var config = Json(await WaitForJsonAsync(ConfigTopic(hall), c => c["components"]?["last_backup"] is not null, "the device's config"));
            Assert.Equal(attributes, (string?)config["components"]!["last_backup"]!["json_attributes_topic"]);
            await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "both devices");

            // The first backup has nothing to compare with.
            var first = await BackUpAllAsync(1, hall);
            Assert.Equal((null, "this is the device's first backup", true), ((bool?)first["changed"], (string?)first["changes_unknown"], (bool?)first["stored"]));
            Assert.Null(first["compared_with"]);

            // The device restarted and its relay went on: what it changes by itself is no change.
            hall.Dump = Edit(hall.Dump, block =>
            {
                BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(0x00C), 1256);
                block[0x2E8] ^= 1;
            });
            var unchanged = await BackUpAllAsync(2, hall);
            Assert.Equal((false, 0, (string?)first["file"]), ((bool?)unchanged["changed"], unchanged["changes"]!.AsArray().Count, (string?)unchanged["compared_with"]));
            await WaitForJsonAsync("tasmo_guardian/hub/run_attributes", a => a["changed_devices"]!.AsArray().Count == 0, "no device changed");

            // The user renames it and edits a rule.
            hall.Dump = Edit(hall.Dump, block =>
            {
                TasmotaChangesTests.SetText(block, "FriendlyName1", "Hallway");
                block[0x800 + 512 + 3] ^= 0x20;
            });
            var changed = await BackUpAllAsync(3, hall);
            Assert.Equal((true, "FriendlyName1,Rule2", 0), ((bool?)changed["changed"], Names(changed["changes"]), (int?)changed["more"]));
            Assert.Equal((string?)unchanged["file"], (string?)changed["compared_with"]);
            Assert.Equal((bool?)false, (bool?)Events("backup_succeeded").Last(e => (string?)e["mac"] == porch.Mac)["changed"]);
            await WaitForJsonAsync("tasmo_guardian/hub/run_attributes", a => Names(a["changed_devices"]) == "Hall PIR", "the hub naming the changed device");
            await WaitForJsonAsync(attributes, a => (bool?)a["changed"] == true && Names(a["changes"]) == "FriendlyName1,Rule2" && (string?)a["compared_with"] == (string?)unchanged["file"], "the last_backup attributes");
        }

        // Kept over a restart: the device's last comparison and the last run's changed devices.
        Recorder.Clear();
        await using var again = await StartAppAsync();
        await WaitForJsonAsync(attributes, a => (bool?)a["changed"] == true && Names(a["changes"]) == "FriendlyName1,Rule2", "the attributes after a restart");
        await WaitForJsonAsync("tasmo_guardian/hub/run_attributes", a => Names(a["changed_devices"]) == "Hall PIR", "the changed devices after a restart");
    }

    [Fact]
    public async Task StoreUnchangedOff_KeepsNoFileForAnUnchangedBackup_ButItsTimeAndResultMoveOn_AndAChangeStoresAgain()
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.Dump = Fixtures.Bytes(Pir));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var options = GuardianApp.DefaultOptions(Folder) with { StoreUnchanged = false, StaleDays = 7, BackupMinHours = 24 };
        await using var app = Own(await GuardianApp.StartAsync(Broker, Folder, options, time: clock));
        var first = await BackUpAsync(plug);

        // A week and a day later the backup is stale; the device only restarted meanwhile.
        clock.Advance(TimeSpan.FromDays(8));
        await WaitForJsonAsync(StateTopic(plug), s => (bool?)s["problem"] == true, "the stale backup's problem");
        plug.Dump = Edit(plug.Dump, block => BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(0x00C), 1300));
        await BackUpAsync(plug);

        var unchanged = Events("backup_succeeded")[^1];
        Assert.Equal((false, false, first), ((bool?)unchanged["stored"], (bool?)unchanged["changed"], (string?)unchanged["file"]));
        Assert.Equal([first], Folder.BackupFiles());
        var now = DiscoveryPayloads.Timestamp(clock.GetUtcNow());
        var row = Sql.Query(Folder.Database, "SELECT d.noofbackups, d.lastbackup, b.confirmed FROM devices d JOIN backups b ON b.device_id = d.id").Single();
        Assert.Equal((1L, "2026-11-09T12:00:00Z", "2026-11-09T12:00:00Z"), ((long)row["noofbackups"]!, (string?)row["lastbackup"], (string?)row["confirmed"]));
        await WaitForJsonAsync(StateTopic(plug), s => (string?)s["last_backup"] == now && (bool?)s["problem"] == false && (int?)s["backups"] == 1 && (string?)s["last_result"] == "success", "the device backed up now, with one file");

        // So Backup all skips it as recently backed up.
        await PressAsync("tasmo_guardian/hub/backup_all");
        var run = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the run"));
        Assert.Equal((0, 1), ((int)run["backed_up"]!, (int)run["skipped"]!));

        // The same configuration on new firmware is kept once, in that firmware's format.
        plug.Dump = Edit(plug.Dump, block => BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(0x008), 0x0D010000));
        var upgraded = await BackUpAsync(plug);
        Assert.Equal((true, false), ((bool?)Events("backup_succeeded")[^1]["stored"], (bool?)Events("backup_succeeded")[^1]["changed"]));
        Assert.EndsWith("-v13.1.0.dmp", upgraded, StringComparison.Ordinal);

        // A change keeps a file again.
        plug.Dump = Edit(plug.Dump, block => TasmotaChangesTests.SetText(block, "Topic", "plug2"));
        var second = await BackUpAsync(plug);
        var changed = Events("backup_succeeded")[^1];
        Assert.Equal((true, true, "Topic"), ((bool?)changed["stored"], (bool?)changed["changed"], Names(changed["changes"])));
        Assert.Equal([first, upgraded, second], Folder.BackupFiles());
    }

    [Fact]
    public async Task StoreUnchangedOff_APreRestoreBackup_StillKeepsItsFile_ForItIsTheUndo()
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.RestartTime = TimeSpan.FromMilliseconds(500));
        var options = GuardianApp.DefaultOptions(Folder) with { StoreUnchanged = false };
        await using var app = await StartAppAsync(options, services => services.AddSingleton(new RestoreSettings { RestartLimit = TimeSpan.FromSeconds(8), PollInterval = TimeSpan.FromMilliseconds(250) }));
        var backup = await BackUpAsync(plug);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"latest"}""");

        var done = await RestoreEndAsync();
        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        var preRestore = (string)done["pre_restore_backup"]!;
        Assert.NotEqual(backup, preRestore);
        Assert.Equal([backup, preRestore], Folder.BackupFiles().Order(StringComparer.Ordinal));
        var preRestoreEvent = Events("backup_succeeded").Single(e => (string?)e["file"] == preRestore);
        Assert.Equal((true, false), ((bool?)preRestoreEvent["stored"], (bool?)preRestoreEvent["changed"]));
    }

    /// <summary>Presses Backup all, waits for the count-th run's end, and returns the device's backup_succeeded of that run.</summary>
    private async Task<JsonObject> BackUpAllAsync(int run, FakeTasmota device)
    {
        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Events("backup_all_finished").Count >= run, Waits.Long, () => Recorder.Summary());
        return Events("backup_succeeded").Last(e => (string?)e["mac"] == device.Mac);
    }

    private static byte[] Edit(byte[] dump, Action<byte[]> edit)
    {
        var block = TasmotaDumpBuilder.Settings(dump);
        edit(block);
        return TasmotaDumpBuilder.Encode(block, TasmotaDumpBuilder.DriverBytes(dump));
    }

    private static string Names(JsonNode? names) => string.Join(',', names!.AsArray().Select(n => (string?)n));
}
