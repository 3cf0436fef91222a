using System.IO.Compression;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>Issue 4: backups over a fleet that behaves like real firmware, against a real broker.</summary>
public sealed class BackupTests : IntegrationContext
{
    [Fact]
    public async Task BackupAll_OverAFleetOfFirmwareBehaviours_GivesExactCounts_AndOnlyGoodFiles()
    {
        var good = new List<FakeTasmota>
        {
            await DiscoveredTasmotaAsync("Good plain"),
            await DiscoveredTasmotaAsync("Good with password", d => d.Password = "web-pass"),
            await DiscoveredTasmotaAsync("Good but slow", d => d.Delay = TimeSpan.FromMilliseconds(1500)),
            await DiscoveredTasmotaAsync("Good but lies about its type", d => d.Behavior = TasmotaBehavior.LyingContentType),
            await DiscoveredTasmotaAsync("Good ESP32 with files", d => d.Dump = TasmotaDumpBuilder.Build(0x0F010000, 1, fileSystemFiles: new byte[64])),
        };
        var bad = new Dictionary<TasmotaBehavior, FakeTasmota>();
        foreach (var behavior in new[] { TasmotaBehavior.WrongPassword, TasmotaBehavior.HtmlPage, TasmotaBehavior.Truncated, TasmotaBehavior.BadChecksum, TasmotaBehavior.DropMidBody, TasmotaBehavior.Hang, TasmotaBehavior.Trickle, TasmotaBehavior.EmptyReply })
        {
            bad[behavior] = await DiscoveredTasmotaAsync($"Bad {behavior}", d => d.Behavior = behavior);
        }

        var refused = FakeTasmota.Refusing("Bad refused");
        Fleet.Add(refused);
        await Fleet.PublishDiscoveryAsync(refused);
        var wled = Own(FakeWled.Start());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            TasmotaPassword = "web-pass",
            RequestTimeoutSeconds = 3,
            Devices = [new DeviceOption(wled.Host, DeviceType.Wled, "Desk strip", null)],
        };
        await using var app = await StartAppAsync(options);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 15, "all 15 devices");

        await PressAsync("tasmo_guardian/hub/backup_all");

        var finished = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the end of the run"));
        Assert.Equal((6, 0, 9), ((int)finished["backed_up"]!, (int)finished["skipped"]!, (int)finished["failed"]!));
        Assert.False(Recorder.Last("tasmo_guardian/event")!.Retain);

        // Files: byte-identical for the good Tasmota devices, a zip of the bytes as served for WLED, nothing else.
        var files = Folder.BackupFiles();
        Assert.Equal(6, files.Count);
        foreach (var device in good)
        {
            var file = Assert.Single(files, f => f.StartsWith(BackupFolder(device.Name) + "/" + device.Mac + "-", StringComparison.Ordinal));
            Assert.Equal(device.Dump, await File.ReadAllBytesAsync(Path.Combine(Folder.Backups, file)));
            Assert.EndsWith($"-v{TasmoGuardian.Kinds.Tasmota.TasmotaDump.Validate(device.Dump).Version}.dmp", file, StringComparison.Ordinal);
        }

        var zipName = Assert.Single(files, f => f.EndsWith(".zip", StringComparison.Ordinal));
        Assert.StartsWith($"Desk strip/{wled.Mac.ToUpperInvariant()}-", zipName, StringComparison.Ordinal);
        Assert.EndsWith("-v0.15.4.zip", zipName, StringComparison.Ordinal);
        using (var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, zipName)))
        {
            Assert.Equal(["cfg.json", "presets.json", "info.json"], zip.Entries.Select(e => e.FullName));
            Assert.Equal(wled.Config, ReadEntry(zip, "cfg.json"));
            Assert.Equal(wled.Presets, ReadEntry(zip, "presets.json"));
        }

        // Records: one row per file, counts on the devices, the reasons for failures.
        Assert.Equal(6, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(6, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM devices WHERE noofbackups = 1 AND lastbackup IS NOT NULL"));
        Assert.Equal(9, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM devices WHERE last_result = 2 AND last_reason IS NOT NULL"));
        Assert.Equal(1, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM runs WHERE backed_up = 6 AND failed = 9"));
        var reasons = app.Get<DeviceRegistry>().Snapshot().Where(d => d.LastResult == BackupResultState.Failed).ToDictionary(d => d.Name, d => d.LastReason);
        Assert.Contains("wrong password", reasons["Bad WrongPassword"], StringComparison.Ordinal);
        Assert.Contains("web page", reasons["Bad HtmlPage"], StringComparison.Ordinal);
        Assert.Contains("2048 of 4096", reasons["Bad Truncated"], StringComparison.Ordinal);
        Assert.Contains("bad checksum", reasons["Bad BadChecksum"], StringComparison.Ordinal);
        Assert.Contains("dropped after 1000 bytes", reasons["Bad DropMidBody"], StringComparison.Ordinal);
        Assert.Contains("within 3 s", reasons["Bad Hang"], StringComparison.Ordinal);
        Assert.Contains("within 3 s", reasons["Bad Trickle"], StringComparison.Ordinal);
        Assert.Contains("without answering", reasons["Bad EmptyReply"], StringComparison.Ordinal);
        Assert.Contains("refused the connection", reasons["Bad refused"], StringComparison.Ordinal);

        // Home Assistant saw it all: running off, progress 100, one event per device, the reasons as attributes.
        var hub = Json(Recorder.Last("tasmo_guardian/hub/state")!);
        Assert.Equal((false, 100, 6, 0, 9), ((bool)hub["running"]!, (int)hub["progress"]!, (int)hub["backed_up"]!, (int)hub["skipped"]!, (int)hub["failed"]!));
        Assert.NotNull((string?)hub["last_run"]);
        Assert.Equal(6, Events("backup_succeeded").Count);
        Assert.Equal(9, Events("backup_failed").Count);
        var attributes = Json(Recorder.Last($"tasmo_guardian/device/{bad[TasmotaBehavior.WrongPassword].Mac.ToLowerInvariant()}/attributes")!);
        Assert.Equal(reasons["Bad WrongPassword"], (string?)attributes["reason"]);
        var state = Json(Recorder.Last(StateTopic(good[0]))!);
        Assert.Equal(("success", 1, 4096L), ((string?)state["last_result"], (int)state["backups"]!, (long)state["backup_size"]!));
        Assert.EndsWith("+00:00", (string?)state["last_backup"], StringComparison.Ordinal);

        // What the devices saw: Basic auth only where a password is set, always the Referer.
        var withPassword = good[1].Requests.Single(r => r.Path == "/dl");
        Assert.StartsWith("Basic ", withPassword.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal($"http://{good[1].Address}/", withPassword.Header("Referer"));

        // No secret anywhere a user or another client could read it.
        Assert.DoesNotContain("web-pass", app.LogText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Recorder.Messages, m => m.PayloadAsString().Contains("web-pass", StringComparison.Ordinal));
        Assert.DoesNotContain(Broker.Password, app.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ButtonPressedDuringARun_IsServedAfterIt_AndStatesKeepFlowing()
    {
        var devices = new List<FakeTasmota>();
        for (var i = 0; i < 5; i++)
        {
            devices.Add(await DiscoveredTasmotaAsync($"Device {i}", d => d.Delay = TimeSpan.FromMilliseconds(400)));
        }

        await using var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 5, "all devices");
        await PressAsync("tasmo_guardian/hub/backup_all");
        var firstDone = await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_succeeded", StringComparison.Ordinal), Waits.Long, "the first device done");
        var first = devices.Single(d => d.Mac == (string?)Json(firstDone)["mac"]);

        // Pressed during the run, for a device the run has already done: a fresh backup, after the run.
        await PressAsync($"tasmo_guardian/device/{first.Mac.ToLowerInvariant()}/backup");
        // Pressed twice for a device still waiting: merged, not queued twice.
        var last = devices.Where(d => d != first).Last();
        await PressAsync($"tasmo_guardian/device/{last.Mac.ToLowerInvariant()}/backup");
        await PressAsync($"tasmo_guardian/device/{last.Mac.ToLowerInvariant()}/backup");

        await Eventually.TrueAsync(() => Events("backup_succeeded").Count(e => (string?)e["mac"] == first.Mac) == 2, Waits.Long, () => Recorder.Summary());
        var events = Recorder.On("tasmo_guardian/event").Select(m => m.PayloadAsString()).ToList();
        var runEnd = events.FindIndex(e => e.Contains("backup_all_finished", StringComparison.Ordinal));
        var secondOfFirst = events.FindLastIndex(e => e.Contains(first.Mac, StringComparison.Ordinal));
        Assert.True(runEnd >= 0 && secondOfFirst > runEnd, string.Join("\n", events));
        Assert.Equal(1, last.Downloads);
        Assert.Equal(2, first.Downloads);

        // What the contract promises about progress, not how the publisher happened to batch it: while the run lasts
        // it only grows, in steps of whole devices, at most one update per device (updates landing together are
        // merged), and the run ends at 100 with running off.
        var states = Recorder.On("tasmo_guardian/hub/state").Select(Json).ToList();
        var running = states.SkipWhile(s => !(bool)s["running"]!).TakeWhile(s => (bool)s["running"]!).Select(s => (int)s["progress"]!).ToList();
        Assert.NotEmpty(running);
        Assert.Equal(running.Order(), running);
        Assert.All(running, p => Assert.Contains(p, (int[])[0, 20, 40, 60, 80]));
        Assert.InRange(running.Count, 1, 5);
        var ended = states.First(s => !(bool)s["running"]! && (int)s["progress"]! == 100 && (int)s["backed_up"]! == 5);
        Assert.True(states.IndexOf(ended) > states.FindLastIndex(s => (bool)s["running"]!));
        var finished = Json(Recorder.On("tasmo_guardian/event").Select(m => m).First(m => m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal)));
        Assert.Equal(5, (int)finished["backed_up"]!);
    }

    [Fact]
    public async Task CommandTopic_TakesAllAMacInAnyFormOrAName()
    {
        var kitchen = await DiscoveredTasmotaAsync("Kitchen");
        var hall = await DiscoveredTasmotaAsync("Hall");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2, "both devices");

        // Each backup is waited for to its end (its event), not its download: a backup-all asked for while a device's
        // backup is still being written counts that one instead of starting it again (contract: never queued twice).
        await PublishAsync("tasmo_guardian/cmnd/backup", kitchen.MacWithColons.ToLowerInvariant());
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count(e => (string?)e["mac"] == kitchen.Mac) == 1, Waits.Short, "the MAC command");
        await PublishAsync("tasmo_guardian/cmnd/backup", "  hall ");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count(e => (string?)e["mac"] == hall.Mac) == 1, Waits.Short, "the name command");
        await PublishAsync("tasmo_guardian/cmnd/backup", "ALL");
        await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the all command");
        await PublishAsync("tasmo_guardian/cmnd/backup", "nobody");

        await Eventually.TrueAsync(() => app.LogText().Contains("'nobody' is not all, a known MAC or a device name", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Equal((2, 2), (kitchen.Downloads, hall.Downloads));
    }

    [Fact]
    public async Task RetainedCommands_LeftOnTheBroker_DoNotFireAtStartUp()
    {
        var kitchen = await DiscoveredTasmotaAsync("Kitchen");
        await PublishAsync("tasmo_guardian/cmnd/backup", "all", retain: true);
        await PublishAsync("tasmo_guardian/hub/backup_all", "PRESS", retain: true);

        await using var app = await StartAppAsync();

        await Eventually.TrueAsync(() => app.LogText().Contains("retained commands are ignored", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        await Eventually.TrueAsync(() => app.LogText().Contains("retained button presses are ignored", StringComparison.Ordinal), Waits.Short, () => app.LogText());
        Assert.Equal(0, kitchen.Downloads);
        await PublishAsync("tasmo_guardian/cmnd/backup", string.Empty, retain: true);
        await PublishAsync("tasmo_guardian/hub/backup_all", string.Empty, retain: true);
    }

    [Fact]
    public async Task BackupAll_SkipsRecentBackups_ButASinglePressNeverSkips()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { BackupMinHours = 24 });
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");

        await PressAsync("tasmo_guardian/hub/backup_all");
        await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished" && (int?)e["backed_up"] == 1, "the first run");
        await PressAsync("tasmo_guardian/hub/backup_all");
        await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished" && (int?)e["skipped"] == 1, "the second run, skipped");
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");

        await WaitForJsonAsync(StateTopic(device), s => (int?)s["backups"] == 2, "two backups after the single press");
        Assert.Equal(2, device.Downloads);
    }

    [Fact]
    public async Task Retention_KeepsTheNewestFiles_AndTheirRows()
    {
        var device = await DiscoveredTasmotaAsync("Kitchen");
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { KeepBackups = 2 });
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");

        for (var i = 1; i <= 4; i++)
        {
            await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
            await Eventually.TrueAsync(() => Events("backup_succeeded").Count == i, Waits.Long, () => Recorder.Summary());
        }

        var files = Folder.BackupFiles();
        var rows = Sql.Query(Folder.Database, "SELECT filename FROM backups ORDER BY created, id").Select(r => (string)r["filename"]!).ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(files, rows.Order(StringComparer.Ordinal));
        var newest = (string?)Events("backup_succeeded").Last()["file"];
        Assert.Contains(newest, files);
        Assert.Equal(2, Sql.Scalar(Folder.Database, "SELECT noofbackups FROM devices"));
        await WaitForJsonAsync(StateTopic(device), s => (int?)s["backups"] == 2, "the count after pruning");
    }

    [Fact]
    public async Task Wled_WithoutPresets_IsBackedUpWithAnEmptyPresetsObject()
    {
        var wled = Own(FakeWled.Start());
        wled.Presets = null;
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, Devices = [new DeviceOption(wled.Host, DeviceType.Wled, null, null)] };
        await using var app = await StartAppAsync(options);
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Count == 1, Waits.Short, "the WLED device");

        // Identified over HTTP before the broker connection may be up: the command must wait for the connection, or it is lost.
        await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{wled.Mac}/config", c => c["device"] is not null, "the WLED device's config");
        await PublishAsync("tasmo_guardian/cmnd/backup", wled.Mac);

        var done = await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_succeeded", "the WLED backup");
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, (string)Json(done)["file"]!));
        Assert.Equal("{}"u8.ToArray(), ReadEntry(zip, "presets.json"));
    }

    private static string BackupFolder(string name) => TasmoGuardian.Backups.Files.BackupFileName.Folder(name, Mac.Parse("A1B2C3D4E5F6"));

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
