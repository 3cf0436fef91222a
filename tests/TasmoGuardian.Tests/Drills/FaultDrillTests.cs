using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Integration;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Drills;

/// <summary>
/// Issue 6: the faults a home network produces, repeated until they would have shown a weakness. Slower than the
/// other tests (about a minute in all); CI runs them too. Filter with --filter Category=Drill.
/// </summary>
[Trait("Category", "Drill")]
[Collection(DrillCollection.Name)]
public sealed class FaultDrillTests : IntegrationContext
{
    [Fact]
    public async Task BrokerRestartedTenTimes_DuringBackupAll_NothingLostOrDoubled()
    {
        var devices = new List<FakeTasmota>();
        for (var i = 0; i < 40; i++)
        {
            devices.Add(await DiscoveredTasmotaAsync($"Plug {i:D2}", d => d.Delay = TimeSpan.FromMilliseconds(300)));
        }

        await using var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 40, "all devices");
        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => devices.Sum(d => d.Downloads) >= 1, Waits.Short, "the run to start");

        for (var restart = 1; restart <= 10; restart++)
        {
            await Broker.StopAsync();
            await Task.Delay(Random.Shared.Next(50, 400));
            await Broker.StartAgainAsync();

            // A restarted broker has lost every retained message: an "online" now is the program's new birth.
            await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/status" && m.PayloadAsString() == "online" && Recorder.Messages.Count > 0, Waits.Long, $"the program back after restart {restart}");
            Recorder.Clear();
        }

        await Eventually.TrueAsync(() => Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM runs") == 1, TimeSpan.FromSeconds(60), () => app.LogText());
        Assert.All(devices, d => Assert.Equal(1, d.Downloads));
        Assert.Equal(40, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.Equal(40, Sql.Scalar(Folder.Database, "SELECT backed_up FROM runs"));
        Assert.Equal(40, Folder.BackupFiles().Count);
        ProcessTests.AssertFilesAndRowsAgree(Folder);

        // After the last restart Home Assistant sees the whole picture again, from retained messages alone.
        await using var late = await MessageRecorder.StartAsync(Broker);
        await late.WaitForAsync(m => m.Topic == "tasmo_guardian/hub/state" && Json(m)["backed_up"]?.GetValue<int>() == 40 && !(bool)Json(m)["running"]!, Waits.Long, "the final hub state");
        foreach (var device in devices)
        {
            await late.WaitForAsync(m => m.Topic == ConfigTopic(device) && m.Payload.Length > 0, Waits.Long, $"{device.Name}'s config");
        }
    }

    [Fact]
    public async Task KilledAtTwentyRandomMoments_DuringBackupAll_RestartLeavesFilesAndRowsInAgreement()
    {
        for (var i = 0; i < 10; i++)
        {
            await DiscoveredTasmotaAsync($"Plug {i}", d => d.Delay = TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40)));
        }

        var options = OptionsFile.For(Broker, Folder);
        var random = new Random(20261122);
        for (var kill = 1; kill <= 20; kill++)
        {
            await using var program = GuardianProcess.Start(["--options", OptionsFile.Write(Folder, options), "--data-dir", Folder.Data]);
            await program.WaitForOutputAsync("Published Home Assistant discovery", Waits.Long);
            AssertFilesAndRowsAgreeOrStillWriting(kill);
            await PressAsync("tasmo_guardian/hub/backup_all");
            await Task.Delay(random.Next(0, 600));
            await program.KillAsync();
        }

        await using (var last = GuardianProcess.Start(["--options", OptionsFile.Write(Folder, options), "--data-dir", Folder.Data]))
        {
            await last.WaitForOutputAsync("Published Home Assistant discovery", Waits.Long);
            Assert.Equal(0, await last.TerminateAsync(Waits.Long));
        }

        ProcessTests.AssertFilesAndRowsAgree(Folder);
        Assert.True(Folder.BackupFiles().Count >= 10, $"only {Folder.BackupFiles().Count} backups over 20 runs");
    }

    [Fact]
    public async Task TwentyRestoresInARow_OntoAFakeFleet_AreAllVerified_AndLeaveNothingHalfDone()
    {
        var fleet = new List<FakeTasmota>();
        for (var i = 0; i < 5; i++)
        {
            fleet.Add(await DiscoveredTasmotaAsync($"Drill {i}", d => d.RestartTime = TimeSpan.FromMilliseconds(300)));
        }

        var options = GuardianApp.DefaultOptions(Folder);
        await using var app = await StartAppAsync(options, s => s.AddSingleton(new RestoreSettings { RestartLimit = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(100) }));
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 5, "the fleet");
        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => Events("backup_all_finished").Count == 1, Waits.Long, () => Recorder.Summary());
        var original = fleet.ToDictionary(d => d.Mac, d => TasmotaDumpBuilder.Settings(d.Dump));

        for (var round = 0; round < 20; round++)
        {
            // Between restores the device changes; each restore puts the first backup back, by name.
            var device = fleet[round % fleet.Count];
            device.Dump = TasmotaDumpBuilder.Build(0x0D010000, seed: 1000 + round);
            var first = Sql.Query(Folder.Database, $"SELECT b.filename FROM backups b JOIN devices d ON d.id = b.device_id WHERE d.mac = '{device.Mac}' ORDER BY b.id LIMIT 1").Single()["filename"];
            await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{device.Mac}}","backup":"{{first}}"}""");
            await Eventually.TrueAsync(() => Events("restore_succeeded").Count + Events("restore_failed").Count == round + 1, Waits.Long, () => Recorder.Summary());
            // All but what the device wrote again at its first Wi-Fi connection: its network's gateway, subnet and DNS (0x548-0x557).
            Assert.Equal(original[device.Mac][0x10..0x548], TasmotaDumpBuilder.Settings(device.Dump)[0x10..0x548]);
            Assert.Equal(original[device.Mac][0x558..0xF00], TasmotaDumpBuilder.Settings(device.Dump)[0x558..0xF00]);
        }

        Assert.Equal(20, Events("restore_succeeded").Count);
        Assert.Empty(Events("restore_failed"));
        Assert.Equal(20, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM restores WHERE result = 'success' AND finished IS NOT NULL AND pre_restore_filename IS NOT NULL"));
        Assert.Equal(25, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
        Assert.All(fleet, d => Assert.Equal(0, d.UnarmedUploads));
        ProcessTests.AssertFilesAndRowsAgree(Folder);
    }

    [Fact]
    public async Task AMixedFleet_WithBrokenDevicesAndABrokerRestart_GivesEachDeviceItsOwnTrueResult()
    {
        // All nine kinds: Tasmota (plain, with Berry scripts, one script cut short, one unreachable), WLED, Shelly Gen1
        // and Gen2+ (one with a wrong password, one serving its web page), OpenDTU (one whose password changed), AhoyDTU,
        // AI-on-the-Edge, Awtrix (one file cut short) and openHASP: sixteen devices, each its own kind of answer.
        var plain = await DiscoveredTasmotaAsync("Tasmota plain", d => d.Delay = TimeSpan.FromSeconds(1));
        var berry = await DiscoveredTasmotaAsync("Tasmota berry", d => Berry(d, UserFileBehavior.Ok));
        var cutShort = await DiscoveredTasmotaAsync("Tasmota cut short", d => Berry(d, UserFileBehavior.Truncated));
        var refusing = Own(FakeTasmota.Refusing("Tasmota gone"));
        Fleet.Add(refusing);
        await Fleet.PublishDiscoveryAsync(refusing);
        var wled = Own(FakeWled.Start());
        var gen1 = Own(FakeShelly.Start(generation: 1));
        var gen2 = Own(FakeShelly.Start());
        gen2.Password = "right";
        var locked = Own(FakeShelly.Start());
        locked.Password = "other";
        var html = Own(FakeShelly.Start());
        html.Behavior = ShellyBehavior.HtmlWith200;
        var dtu = Own(FakeOpenDtu.Start());
        var dtuLocked = Own(FakeOpenDtu.Start());
        dtuLocked.Password = "changed";
        var ahoy = Own(FakeAhoyDtu.Start());
        var meter = Own(FakeAiOnTheEdge.Start());
        await PublishAsync($"{meter.MainTopic}/MAC", meter.ColonMac, retain: true);
        await PublishAsync($"{meter.MainTopic}/IP", meter.Ip, retain: true);
        var clock = Own(FakeAwtrix.Start());
        var clockCut = Own(FakeAwtrix.Start());
        clockCut.CutsShort = "DoNotTouch.json";
        var plate = Own(FakeOpenHasp.Start());
        var options = GuardianApp.DefaultOptions(Folder) with
        {
            AnnounceDiscovery = false,
            Devices =
            [
                new DeviceOption(wled.Host, DeviceType.Wled, null, null),
                new DeviceOption(gen1.Host, DeviceType.ShellyGen2, "Shelly gen1", null),
                new DeviceOption(gen2.Host, DeviceType.ShellyGen2, "Shelly gen2", "right"),
                new DeviceOption(locked.Host, DeviceType.ShellyGen2, "Shelly locked", "wrong"),
                new DeviceOption(html.Host, DeviceType.ShellyGen2, "Shelly html", null),
                new DeviceOption(dtu.Host, DeviceType.OpenDtu, "OpenDTU", null),
                new DeviceOption(dtuLocked.Host, DeviceType.OpenDtu, "OpenDTU locked", null),
                new DeviceOption(ahoy.Host, DeviceType.AhoyDtu, "AhoyDTU", null),
                new DeviceOption(meter.Host, DeviceType.AiOnTheEdge, "Meter", null),
                new DeviceOption(clock.Host, DeviceType.Awtrix, "Clock", null),
                new DeviceOption(clockCut.Host, DeviceType.Awtrix, "Clock cut short", null),
                new DeviceOption(plate.Host, DeviceType.OpenHasp, "Plate", null),
            ],
        };
        await using var app = await StartAppAsync(options);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 16, "all sixteen devices");

        await PressAsync("tasmo_guardian/hub/backup_all");
        await Eventually.TrueAsync(() => plain.Downloads >= 1, Waits.Long, "the run to start");
        await Broker.StopAsync();
        await Broker.StartAgainAsync();
        await Eventually.TrueAsync(() => Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM runs") == 1, TimeSpan.FromSeconds(60), () => app.LogText());

        var results = Sql.Query(Folder.Database, "SELECT name, last_result, last_reason, noofbackups FROM devices")
            .ToDictionary(r => (string)r["name"]!, r => ((long)r["last_result"]!, (string?)r["last_reason"], (long)r["noofbackups"]!));
        var succeeded = new[] { "Tasmota plain", "Tasmota berry", wled.Name, "Shelly gen1", "Shelly gen2", "OpenDTU", "AhoyDTU", "Meter", "Clock", "Plate" };
        Assert.All(succeeded, name => Assert.Equal((1L, null, 1L), results[name]));
        Assert.StartsWith("Tasmota user file /autoexec.be came back with", results["Tasmota cut short"].Item2, StringComparison.Ordinal);
        Assert.Contains("refused the connection", results["Tasmota gone"].Item2, StringComparison.Ordinal);
        Assert.Equal("wrong password (HTTP 401)", results["Shelly locked"].Item2);
        Assert.Contains("web page", results["Shelly html"].Item2, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("DoNotTouch.json came with", results["Clock cut short"].Item2, StringComparison.Ordinal);
        Assert.Equal("wrong password (HTTP 401)", results["OpenDTU locked"].Item2);
        Assert.Equal((10L, 6L), ((long)Sql.Scalar(Folder.Database, "SELECT backed_up FROM runs"), (long)Sql.Scalar(Folder.Database, "SELECT failed FROM runs")));
        Assert.Equal(1, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups WHERE files_filename IS NOT NULL"));
        ProcessTests.AssertFilesAndRowsAgree(Folder);

        // Home Assistant, reconnecting after the restart, sees every device's own problem.
        await using var late = await MessageRecorder.StartAsync(Broker);
        await late.WaitForAsync(m => m.Topic == "tasmo_guardian/hub/state" && (int?)Json(m)["failed"] == 6 && !(bool)Json(m)["running"]!, Waits.Long, "the final hub state");
    }

    private static void Berry(FakeTasmota device, UserFileBehavior behavior)
    {
        device.Version = "14.6.0";
        device.Dump = TasmotaDumpBuilder.Build(0x0E060000, seed: device.Name.Length);
        device.FileSystem = new FakeTasmotaFileSystem { Behavior = behavior };
        device.FileSystem.Put("/autoexec.be", "print('hello')\n");
        device.FileSystem.Put("/lib/util.be", new string('u', 3000));
    }

    [Fact]
    public async Task TenThousandFuzzedPayloads_OnEveryTopicItReads_ChangeNothingThatMatters()
    {
        var options = GuardianApp.DefaultOptions(Folder) with { RequestTimeoutSeconds = 1 };
        await using var app = await StartAppAsync(options);
        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var fuzz = new PayloadFuzzer(new Random(6));
        await using var flood = await MessageRecorder.StartAsync(Broker, "nothing/at/all");
        for (var i = 0; i < 10_000; i++)
        {
            var (topic, payload) = fuzz.Next();
            await flood.Client.PublishAsync(new MqttMessage(topic, payload, MqttQualityOfService.AtLeastOnce), CancellationToken.None);
        }

        // It still works: a real device published after the flood is found and backed up.
        var real = await DiscoveredTasmotaAsync("After the storm");
        await WaitForJsonAsync(ConfigTopic(real), _ => true, "the real device after the flood");
        await PressAsync($"tasmo_guardian/device/{real.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Any(e => (string?)e["mac"] == real.Mac), TimeSpan.FromSeconds(120), () => app.LogText(Microsoft.Extensions.Logging.LogLevel.Warning)[^2000..]);

        // Nothing was written outside backup_dir, and inside it only our names.
        var outside = Directory.EnumerateFiles(Folder.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder.Root, f))
            .Where(f => !f.StartsWith("data/", StringComparison.Ordinal) && !f.StartsWith("backups/", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(outside);
        Assert.All(Folder.BackupFiles(), f => Assert.NotNull(BackupFileName.Parse(f.Split('/')[1])));
        Assert.All(Directory.EnumerateDirectories(Folder.Backups), d => Assert.Equal(Folder.Backups, Path.GetDirectoryName(d)));

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 64 * 1024 * 1024, $"memory grew by {(after - before) / 1048576} MiB");
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && e.Category.Contains("ManagedMqttClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullDisk_FailsTheBackupWithAReason_AndLeavesNothingPartial()
    {
        var small = Path.Combine(Folder.Root, "small-disk");
        Directory.CreateDirectory(small);
        // Room for three 4 KiB dumps of the six.
        var mounted = await MountTmpfsAsync(small, "12k");
        try
        {
            var devices = new List<FakeTasmota>();
            for (var i = 0; i < 6; i++)
            {
                devices.Add(await DiscoveredTasmotaAsync($"Disk {i}"));
            }

            var options = GuardianApp.DefaultOptions(Folder) with { BackupDir = small };
            Action<IServiceCollection>? services = mounted
                ? null
                : s => s.AddSingleton<IBackupFileSystem>(new QuotaFileSystem(12 * 1024));
            await using var app = await StartAppAsync(options, services);
            await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 6, "all devices");

            await PressAsync("tasmo_guardian/hub/backup_all");
            var finished = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished", "the run"));

            Assert.True((int)finished["failed"]! >= 1, finished.ToJsonString());
            Assert.True((int)finished["backed_up"]! >= 1, finished.ToJsonString());
            var failure = Events("backup_failed").First();
            Assert.Contains("cannot write the backup file", (string?)failure["reason"], StringComparison.Ordinal);
            var files = Directory.EnumerateFiles(small, "*", SearchOption.AllDirectories).ToList();
            Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith(".tg-", StringComparison.Ordinal));
            Assert.All(files, f => Assert.Equal(4096, new FileInfo(f).Length));
            Assert.Equal(files.Count, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
        }
        finally
        {
            if (mounted)
            {
                await ProcessRunner.RunAsync("umount", ["-l", small], TimeSpan.FromSeconds(30));
            }
        }
    }

    [Fact]
    public async Task DeviceTricklingOneBytePerSecond_IsCutOffAtTheTimeLimit()
    {
        var slow = await DiscoveredTasmotaAsync("Trickle", d => d.Behavior = TasmotaBehavior.Trickle);
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { RequestTimeoutSeconds = 2 });
        await WaitForJsonAsync(ConfigTopic(slow), _ => true, "the device");

        var watch = Stopwatch.StartNew();
        await PressAsync($"tasmo_guardian/device/{slow.Mac.ToLowerInvariant()}/backup");
        var failed = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_failed", "the cut-off"));
        watch.Stop();

        Assert.InRange(watch.Elapsed.TotalSeconds, 1.9, 6);
        Assert.Matches(@"^no complete answer within 2 s \([1-3] bytes had arrived\)$", (string?)failed["reason"]);
        Assert.Empty(Folder.BackupFiles());
    }

    [Fact]
    public async Task NoPassword_EverReachesALogLineOrAnMqttMessage()
    {
        const string Web = "Web-Secret-7781";
        const string OwnPassword = "Own-Secret-4402";
        await DiscoveredTasmotaAsync("Protected", d => d.Password = Web);
        await DiscoveredTasmotaAsync("Wrong", d => d.Password = "something-else");
        var own = Own(FakeTasmota.Start("Own password"));
        own.Password = OwnPassword;
        var options = OptionsFile.For(Broker, Folder);
        options["tasmota_password"] = Web;
        options["log_level"] = "trace";
        options["devices"] = new[] { new Dictionary<string, string> { ["host"] = own.Host, ["type"] = "tasmota", ["password"] = OwnPassword } };

        await using var program = GuardianProcess.Start(["--options", OptionsFile.Write(Folder, options), "--data-dir", Folder.Data]);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 3, "all devices");
        await PressAsync("tasmo_guardian/hub/backup_all");
        var finished = Json(await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished", "the run"));
        Assert.Equal((2, 1), ((int)finished["backed_up"]!, (int)finished["failed"]!));
        await program.TerminateAsync(Waits.Long);

        foreach (var secret in new[] { Web, OwnPassword, Broker.Password })
        {
            Assert.DoesNotContain(secret, program.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Recorder.Messages, m => m.PayloadAsString().Contains(secret, StringComparison.Ordinal) || m.Topic.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, string.Join("\n", Sql.Query(Folder.Database, "SELECT * FROM devices").SelectMany(r => r.Values).Select(v => v?.ToString())), StringComparison.Ordinal);
        }

        Assert.Contains("wrong password (HTTP 401)", program.Output, StringComparison.Ordinal);
    }

    private static async Task<bool> MountTmpfsAsync(string path, string size)
    {
        try
        {
            var (code, _) = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path], TimeSpan.FromSeconds(30));
            return code == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private void AssertFilesAndRowsAgreeOrStillWriting(int run)
    {
        // Start-up has reconciled by the time discovery is published: no temporary file, rows and files agree.
        try
        {
            ProcessTests.AssertFilesAndRowsAgree(Folder);
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"after kill {run - 1}: {ex.Message}");
        }
    }

    /// <summary>Where mounting is not allowed: a disk that refuses to grow past a quota, as a full one does.</summary>
    private sealed class QuotaFileSystem(long quota) : IBackupFileSystem
    {
        public void Rename(string from, string to) => File.Move(from, to, overwrite: false);

        private long _used;

        public Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            using var stream = new FileStream(path, FileMode.CreateNew);
            var room = (int)Math.Max(0, Math.Min(content.Length, quota - Interlocked.Read(ref _used)));
            stream.Write(content.Span[..room]);
            Interlocked.Add(ref _used, room);
            if (room < content.Length)
            {
                throw new IOException("No space left on device");
            }

            return Task.CompletedTask;
        }
    }
}
