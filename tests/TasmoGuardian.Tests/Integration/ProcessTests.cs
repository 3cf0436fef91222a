using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>The real program as a process: signals, crashes, the command line, exit codes.</summary>
public sealed class ProcessTests : IntegrationContext
{
    [Fact]
    public async Task Sigterm_PublishesOffline_AndExitsCleanly()
    {
        await using var program = Start(OptionsFile.For(Broker, Folder));
        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);

        var exit = await program.TerminateAsync(Waits.Long);

        Assert.Equal(0, exit);
        var status = await Recorder.WaitForAsync("tasmo_guardian/status", "offline", Waits.Short);
        Assert.Contains("published offline and disconnected", program.Output, StringComparison.Ordinal);
        await using var late = await MessageRecorder.StartAsync(Broker, "tasmo_guardian/status");
        await late.WaitForAsync(m => m.Retain && m.PayloadAsString() == "offline", Waits.Short, "the retained offline");
    }

    [Fact]
    public async Task Sigterm_WithADeviceMidDownload_FinishesTheBackup_BeforeOffline()
    {
        var device = await DiscoveredTasmotaAsync("Slow", d => d.Delay = TimeSpan.FromSeconds(3));
        await using var program = Start(OptionsFile.For(Broker, Folder));
        await WaitForJsonAsync(ConfigTopic(device), _ => true, "the device");
        await PressAsync($"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => device.Requests.Any(r => r.Path == "/dl"), Waits.Short, "the download to begin");

        var exit = await program.TerminateAsync(Waits.Long);

        Assert.Equal(0, exit);
        Assert.Single(Folder.BackupFiles());
        AssertFilesAndRowsAgree(Folder);
        // The recorder is another client: the broker may still be delivering the program's last messages.
        await Recorder.WaitForAsync("tasmo_guardian/status", "offline", Waits.Long);
        var order = Recorder.Messages.Select(m => (m.Topic, Payload: m.PayloadAsString())).ToList();
        var succeeded = order.FindIndex(m => m.Topic == "tasmo_guardian/event" && m.Payload.Contains("backup_succeeded", StringComparison.Ordinal));
        var offline = order.FindIndex(m => m == ("tasmo_guardian/status", "offline"));
        Assert.True(succeeded >= 0 && offline > succeeded, Recorder.Summary());
    }

    [Fact]
    public async Task Sigkill_LetsTheBrokerPublishTheWill()
    {
        await using var program = Start(OptionsFile.For(Broker, Folder));
        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);

        await program.KillAsync();

        await Recorder.WaitForAsync("tasmo_guardian/status", "offline", Waits.Long);
    }

    [Fact]
    public async Task Sigkill_DuringBackupAll_ThenRestart_LeavesFilesAndRowsInAgreement()
    {
        var devices = new List<FakeTasmota>();
        for (var i = 0; i < 8; i++)
        {
            devices.Add(await DiscoveredTasmotaAsync($"Plug {i}", d => d.Delay = TimeSpan.FromMilliseconds(250)));
        }

        var options = OptionsFile.For(Broker, Folder);
        await using (var program = Start(options))
        {
            await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 8, "all devices");
            await PressAsync("tasmo_guardian/hub/backup_all");
            await Eventually.TrueAsync(() => Events("backup_succeeded").Count >= 3, Waits.Long, () => Recorder.Summary());
            await program.KillAsync();
        }

        var afterKill = Folder.BackupFiles();
        Assert.InRange(afterKill.Count(f => !f.Contains("/.tg-", StringComparison.Ordinal)), 3, 7);

        await using (var again = Start(options))
        {
            await again.WaitForOutputAsync("Loaded 8 known devices", Waits.Long);
            await again.WaitForOutputAsync("Published Home Assistant discovery", Waits.Long);
            Assert.Equal(0, await again.TerminateAsync(Waits.Long));
        }

        AssertFilesAndRowsAgree(Folder);
    }

    [Fact]
    public async Task Sigkill_DuringARestore_LeavesThePreRestoreBackup_AndARowThatSaysWhatHappened()
    {
        var plug = await DiscoveredTasmotaAsync("Plug", d => d.RestartTime = TimeSpan.FromSeconds(30));
        var options = OptionsFile.For(Broker, Folder);
        await using (var program = Start(options))
        {
            await Recorder.WaitForAsync(m => m.Topic == ConfigTopic(plug), Waits.Long, "the device");
            await PressAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/backup");
            await Eventually.TrueAsync(() => Events("backup_succeeded").Count == 1, Waits.Long, () => Recorder.Summary());
            await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}"}""");

            // Uploaded and accepted: the device is restarting (for 30 s) when the power goes.
            await Eventually.TrueAsync(() => plug.Uploads.Count == 1, Waits.Long, "the upload");
            await Eventually.TrueAsync(() => (string?)Sql.Query(Folder.Database, "SELECT stage FROM restores").Single()["stage"] == "waiting for the device to restart", Waits.Long, "the restore to wait for the restart");
            await program.KillAsync();
        }

        await using (var again = Start(options))
        {
            await again.WaitForOutputAsync("was cut off by the last stop while waiting for the device to restart", Waits.Long);
            await again.WaitForOutputAsync("Published Home Assistant discovery", Waits.Long);
            var exit = await again.TerminateAsync(Waits.Long);
            Assert.True(exit == 0, again.Output);
        }

        var row = Sql.Query(Folder.Database, "SELECT * FROM restores").Single();
        Assert.Equal("failed", (string?)row["result"]);
        Assert.Equal("the add-on stopped while waiting for the device to restart; the device may be half restored: check it, or restore the pre-restore backup", (string?)row["reason"]);
        Assert.True(File.Exists(Path.Combine(Folder.Backups, (string)row["pre_restore_filename"]!)));
        AssertFilesAndRowsAgree(Folder);
    }

    [Fact]
    public async Task Sigterm_WhileStarting_IsAGracefulStop_NotACrash()
    {
        // The database is held by another program, so start-up waits in its migration: the Supervisor's SIGTERM comes
        // then, as when the add-on is stopped right after it was started.
        Directory.CreateDirectory(Folder.Data);
        using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Folder.Database};Pooling=False");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }

        await using var program = Start(OptionsFile.For(Broker, Folder));
        await Eventually.TrueAsync(() => OpenFiles(program.Id).Any(f => f.EndsWith("tasmo_guardian.db", StringComparison.Ordinal)), Waits.Long, "the program to open the database");

        // SQLite's wait for the lock does not hear the stop; the next step of the start-up does, once the lock is gone.
        program.RequestStop();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        holder.Close();
        var exit = await program.WaitForExitAsync(Waits.Long);

        Assert.True(exit == 0, program.Output);
        Assert.Contains("Stopped while starting", program.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOption_StopsStartUp_WithOneLineNamingIt()
    {
        var options = OptionsFile.For(Broker, Folder);
        options["schedule"] = "0 3 * * mon-fri-sat";
        await using var program = Start(options);

        var exit = await program.WaitForExitAsync(Waits.Long);

        Assert.Equal(2, exit);
        Assert.Equal("Invalid option 'schedule': Day of week: value must be a number between 0 and 7 or a name (SUN-SAT), not 'fri-sat'.", program.Output.Trim());
        Assert.False(File.Exists(Folder.Database));
    }

    [Fact]
    public async Task Help_And_Version_AnswerWithoutStarting()
    {
        await using var help = GuardianProcess.Start(["--help"]);
        Assert.Equal(0, await help.WaitForExitAsync(Waits.Long));
        Assert.Contains("Usage: TasmoGuardian [--options FILE] [--data-dir DIR]", help.Output, StringComparison.Ordinal);

        await using var version = GuardianProcess.Start(["--version"]);
        Assert.Equal(0, await version.WaitForExitAsync(Waits.Long));
        Assert.Matches(@"^Tasmo Guardian \d+\.\d+\.\d+", version.Output.Trim());
    }

    [Fact]
    public async Task Program_IsTheNativeBuild_WhenCiNamesIt()
    {
        await using var program = Start(OptionsFile.For(Broker, Folder));
        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);

        var executable = program.ExecutablePath();

        // .ci/run names the Native AOT program the add-on image ships; a developer's tests/run.sh runs the built dll.
        if (Environment.GetEnvironmentVariable(GuardianProcess.ProgramVariable) is { Length: > 0 } named)
        {
            Assert.Equal(Path.GetFullPath(named), executable);
            Assert.DoesNotContain(File.ReadLines($"/proc/{program.Id}/maps"), l => l.Contains("libcoreclr", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal("dotnet", Path.GetFileName(executable));
        }
    }

    [Fact]
    public async Task MqttTls_ConnectsThroughTheSystemsTrustStore()
    {
        // The native program loads OpenSSL at run time, as it will from the add-on image; the broker's private CA is
        // made the system's trust store through OpenSSL's SSL_CERT_FILE, as a CA bundle would be in the image.
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });
        var caFile = Path.Combine(Folder.Root, "ca.pem");
        await File.WriteAllTextAsync(caFile, broker.Certificates!.Ca.ExportCertificatePem());
        await using var recorder = await MessageRecorder.StartAsync(broker, "tasmo_guardian/status");
        var options = OptionsFile.For(broker, Folder);
        options["mqtt_host"] = "localhost";
        options["mqtt_port"] = broker.TlsPort!.Value;
        options["mqtt_tls"] = true;

        await using var program = Start(options, new Dictionary<string, string?> { ["SSL_CERT_FILE"] = caFile, ["SSL_CERT_DIR"] = Folder.Root });

        await recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);
        Assert.Contains($"mqtts://localhost:{broker.TlsPort}", program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOptionsFile_MeansDefaults_AndALocalBroker()
    {
        await using var program = GuardianProcess.Start(["--options", Path.Combine(Folder.Root, "absent.json"), "--data-dir", Folder.Data]);

        await program.WaitForOutputAsync("Using MQTT broker mqtt://localhost:1883 as anonymous from the defaults", Waits.Long);
    }

    [Fact]
    public async Task Supervisor_GivesTheBrokerAndCredentials_WhenMqttHostIsEmpty()
    {
        FakeHttpRequest? asked = null;
        await using var supervisor = new FakeHttpServer(System.Net.IPAddress.Loopback, 0, exchange =>
        {
            if (exchange.Request.Path == "/addons/self/info")
            {
                return exchange.RespondAsync(200, "application/json", """{"result":"ok","data":{"name":"Tasmo Guardian","slug":"a0d7b954_tasmo_guardian","version":"0.3.0"}}""");
            }

            asked = exchange.Request;
            return exchange.RespondAsync(200, "application/json",
                $$$"""{"result":"ok","data":{"host":"{{{Broker.Host}}}","port":"{{{Broker.Port}}}","ssl":false,"protocol":"3.1.1","username":"{{{Broker.Username}}}","password":"{{{Broker.Password}}}","addon":"core_mosquitto"}}""");
        });
        var options = OptionsFile.For(Broker, Folder);
        options.Remove("mqtt_host");
        options.Remove("mqtt_port");
        options.Remove("mqtt_username");
        options.Remove("mqtt_password");

        await using var program = Start(options, new Dictionary<string, string?>
        {
            ["SUPERVISOR_TOKEN"] = "token-123",
            ["TASMO_GUARDIAN_SUPERVISOR_URL"] = $"http://{supervisor.HostAndPort}",
        });

        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);
        Assert.Equal("/services/mqtt", asked!.Path);

        // The Supervisor also names the installed slug: the hub links to the app's page in Home Assistant.
        var hub = await WaitForJsonAsync("homeassistant/device/tasmo_guardian/config", c => c["device"] is not null, "the hub");
        Assert.Equal("homeassistant://hassio/addon/a0d7b954_tasmo_guardian/info", (string?)Json(hub)["device"]!["configuration_url"]);
        Assert.Equal("Bearer token-123", asked.Header("Authorization"));
        Assert.Contains($"Using MQTT broker mqtt://{Broker.Host}:{Broker.Port} as {Broker.Username} (password set) from the Home Assistant Supervisor", program.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Broker.Password, program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_RefusingAccess_IsOneClearError_AndStopsTheProgram()
    {
        await using var supervisor = new FakeHttpServer(System.Net.IPAddress.Loopback, 0, exchange =>
            exchange.RespondAsync(403, "application/json", """{"result":"error","message":"No access to mqtt service!"}"""));
        var options = OptionsFile.For(Broker, Folder);
        options.Remove("mqtt_host");

        await using var program = Start(options, SupervisorEnvironment(supervisor));

        Assert.Equal(3, await program.WaitForExitAsync(Waits.Long));
        var errors = program.Output.Split('\n').Where(l => l.Contains("crit:", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal)).ToList();
        Assert.EndsWith(
            "Cannot start: The Supervisor refused to share the MQTT settings (HTTP 403 \"No access to mqtt service!\"): the add-on needs 'services: [mqtt:need]' in config.yaml, or set mqtt_host.",
            Assert.Single(errors).Trim(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_WithoutABrokerYet_IsAskedAgain_UntilTheMosquittoAddOnIsThere()
    {
        var asked = 0;
        await using var supervisor = new FakeHttpServer(System.Net.IPAddress.Loopback, 0, exchange =>
            Interlocked.Increment(ref asked) <= 3
                ? exchange.RespondAsync(400, "application/json", """{"result":"error","message":"Service not enabled"}""")
                : exchange.RespondAsync(200, "application/json", ServiceAnswer(Broker.Password)));
        var options = OptionsFile.For(Broker, Folder);
        options.Remove("mqtt_host");
        options["log_level"] = "info";

        await using var program = Start(options, SupervisorEnvironment(supervisor));

        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);
        Assert.False(program.HasExited);
        Assert.True(Volatile.Read(ref asked) >= 4);
        Assert.Single(program.Output.Split('\n'), l => l.Contains("Home Assistant has no MQTT broker (HTTP 400 \"Service not enabled\"): install and start the Mosquitto broker add-on", StringComparison.Ordinal));
        Assert.Contains("from the Home Assistant Supervisor", program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_IsAskedForNewCredentials_AfterTheBrokerRefusedTheLogin()
    {
        var asked = 0;
        await using var supervisor = new FakeHttpServer(System.Net.IPAddress.Loopback, 0, exchange =>
            exchange.RespondAsync(200, "application/json", ServiceAnswer(Interlocked.Increment(ref asked) == 1 ? "stale-password" : Broker.Password)));
        var options = OptionsFile.For(Broker, Folder);
        options.Remove("mqtt_host");
        options.Remove("mqtt_username");
        options.Remove("mqtt_password");

        await using var program = Start(options, SupervisorEnvironment(supervisor));

        await Recorder.WaitForAsync("tasmo_guardian/status", "online", Waits.Long);
        Assert.Contains("refused the login", program.Output, StringComparison.Ordinal);
        Assert.True(Volatile.Read(ref asked) >= 2);
        Assert.DoesNotContain("stale-password", program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongBrokerPassword_IsOneClearError_WhileTheProgramWaits()
    {
        var options = OptionsFile.For(Broker, Folder);
        options["mqtt_password"] = "wrong";
        await using var program = Start(options);

        await program.WaitForOutputAsync("refused the login", Waits.Long);

        // The client now waits a minute before it knocks again (the library's tests show it on a manual clock).
        Assert.Single(program.Output.Split('\n'), l => l.Contains("refused the login", StringComparison.Ordinal));
        Assert.False(program.HasExited);
        Assert.DoesNotContain("wrong", program.Output.Replace("refused the login", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    internal static void AssertFilesAndRowsAgree(TestFolder folder) => AssertFilesAndRowsAgree(folder.Database, folder);

    /// <summary>Every file under the backup folder (user files included) has its row in <paramref name="database"/>, and every row its files; the counts add up.</summary>
    internal static void AssertFilesAndRowsAgree(string database, TestFolder backups)
    {
        var files = backups.BackupFiles();
        Assert.DoesNotContain(files, f => f.Contains("/.tg-", StringComparison.Ordinal));
        var folder = new { Database = database };
        var rows = Sql.Query(folder.Database, "SELECT filename FROM backups UNION ALL SELECT files_filename FROM backups WHERE files_filename IS NOT NULL")
            .Select(r => (string)r["filename"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, rows);
        var counts = Sql.Query(folder.Database, "SELECT d.noofbackups AS n, (SELECT COUNT(*) FROM backups b WHERE b.device_id = d.id) AS c, d.lastbackup AS l, (SELECT MAX(created) FROM backups b WHERE b.device_id = d.id) AS m FROM devices d");
        Assert.All(counts, c => Assert.Equal(c["c"], c["n"]));
        Assert.All(counts, c => Assert.Equal(c["m"], c["l"]));
    }

    private static Dictionary<string, string?> SupervisorEnvironment(FakeHttpServer supervisor) => new()
    {
        ["SUPERVISOR_TOKEN"] = "token-123",
        ["TASMO_GUARDIAN_SUPERVISOR_URL"] = $"http://{supervisor.HostAndPort}",
    };

    private string ServiceAnswer(string password) =>
        $$$"""{"result":"ok","data":{"host":"{{{Broker.Host}}}","port":"{{{Broker.Port}}}","ssl":false,"protocol":"3.1.1","username":"{{{Broker.Username}}}","password":"{{{password}}}","addon":"core_mosquitto"}}""";

    private static IEnumerable<string> OpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? string.Empty).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private GuardianProcess Start(Dictionary<string, object?> options, IReadOnlyDictionary<string, string?>? environment = null) =>
        GuardianProcess.Start(["--options", OptionsFile.Write(Folder, options), "--data-dir", Folder.Data], environment);
}
