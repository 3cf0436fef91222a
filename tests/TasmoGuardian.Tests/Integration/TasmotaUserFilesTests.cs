using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// Tasmota's user files (Berry scripts and other file system files, firmware 14.6 and later) against a fake whose
/// <c>/ufsd</c> pages are the firmware's: backed up whole beside the dump, retained and restored with it.
/// </summary>
public sealed class TasmotaUserFilesTests : IntegrationContext
{
    private const string Autoexec = "import mqtt\nmqtt.subscribe('heating/#', def (topic, idx, data) print(data) end)\n";

    private static readonly RestoreSettings QuickRestart = new() { RestartLimit = TimeSpan.FromSeconds(8), PollInterval = TimeSpan.FromMilliseconds(250) };

    [Fact]
    public async Task ABerryDevice_IsBackedUp_WithEveryUserFileBesideTheDump_InOneRow()
    {
        var plug = await BerryDeviceAsync("Heating");
        await using var app = await StartAppAsync();

        var file = await BackUpAsync(plug);

        var filesFile = BackupFileName.FilesFile(file);
        Assert.Equal([file, filesFile], Folder.BackupFiles().Order(StringComparer.Ordinal));
        var row = Sql.Query(Folder.Database, "SELECT filename, files_filename, size FROM backups").Single();
        Assert.Equal((file, filesFile, 4096L), ((string?)row["filename"], (string?)row["files_filename"], (long?)row["size"]));

        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, filesFile));
        Assert.Equal(["autoexec.be", "lib/", "lib/empty/", "lib/util.be", "matter.json"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(Autoexec, Read(zip, "autoexec.be"));
        Assert.Equal(new string('x', 5000), Read(zip, "lib/util.be"));

        // The firmware's own hidden files (driver settings) travel in the dump, not here.
        Assert.Null(zip.GetEntry(".drvset003"));
    }

    [Fact]
    public async Task OlderFirmware_IsNotAskedForFiles_AndABuildWithoutAFileSystem_GetsNoCompanion()
    {
        var old = await DiscoveredTasmotaAsync("Old", d => d.FileSystem = new FakeTasmotaFileSystem());
        old.FileSystem!.Put("/autoexec.be", "x");
        var plain = await BerryDeviceAsync("Plain", fileSystem: false);
        await using var app = await StartAppAsync();

        await BackUpAsync(old);
        await BackUpAsync(plain);

        Assert.DoesNotContain(old.Requests, r => r.Path == "/ufsd");
        Assert.Contains(plain.Requests, r => r.Path == "/ufsd");
        Assert.DoesNotContain(Folder.BackupFiles(), f => BackupFileName.IsFilesFile(Path.GetFileName(f)));
        Assert.Equal(0, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups WHERE files_filename IS NOT NULL"));
    }

    [Theory]
    [InlineData(UserFileBehavior.Truncated, "Tasmota user file /autoexec.be came back with ")]
    [InlineData(UserFileBehavior.PageInsteadOfFile, "Tasmota user file /autoexec.be came back as a web page, not as the file")]
    public async Task AFileThatDoesNotArriveWhole_FailsTheBackup_NamingIt_AndNothingIsWritten(UserFileBehavior behavior, string reason)
    {
        var plug = await BerryDeviceAsync("Heating");
        plug.FileSystem!.Behavior = behavior;
        await using var app = await StartAppAsync();
        await WaitForJsonAsync(ConfigTopic(plug), _ => true, "the device");

        await PressAsync($"tasmo_guardian/device/{plug.Mac.ToLowerInvariant()}/backup");

        var failed = Json(await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_failed", StringComparison.Ordinal), Waits.Long, "the failure"));
        Assert.StartsWith(reason, (string?)failed["reason"], StringComparison.Ordinal);
        Assert.Empty(Folder.BackupFiles());
        Assert.Equal(0, Sql.Scalar(Folder.Database, "SELECT COUNT(*) FROM backups"));
    }

    [Fact]
    public async Task Retention_DeletesTheUserFilesWithTheirDump()
    {
        var plug = await BerryDeviceAsync("Heating");
        await using var app = await StartAppAsync(GuardianApp.DefaultOptions(Folder) with { KeepBackups = 1 });

        var first = await BackUpAsync(plug);
        var second = await BackUpAsync(plug);

        Assert.Equal([second, BackupFileName.FilesFile(second)], Folder.BackupFiles().Order(StringComparer.Ordinal).ToList());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Restore_PutsTheScriptsBack_BeforeTheSettings_AndChecksThemAfterTheRestart()
    {
        var plug = await BerryDeviceAsync("Heating", d => d.RestartTime = TimeSpan.FromSeconds(1));
        await using var app = await StartAppAsync(services: s => s.AddSingleton(QuickRestart));
        await BackUpAsync(plug);

        // The script is edited badly and a library deleted; the settings change too.
        plug.FileSystem!.Clear();
        plug.FileSystem.Put("/autoexec.be", "broken(");
        plug.FileSystem.AddFolder("/lib");
        plug.FileSystem.AddFolder("/lib/empty");
        plug.Dump = TasmotaDumpBuilder.Build(0x0E060000, seed: 77);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"latest"}""");

        var done = await RestoreEndAsync();
        Assert.Equal("restore_succeeded", (string?)done["event_type"]);
        Assert.Equal(Autoexec, Encoding.UTF8.GetString(plug.FileSystem.Files["/autoexec.be"]));
        Assert.Equal(new string('x', 5000), Encoding.UTF8.GetString(plug.FileSystem.Files["/lib/util.be"]));
        Assert.Equal(["/autoexec.be", "/lib/util.be", "/matter.json"], plug.FileSystem.Uploaded.Order(StringComparer.Ordinal));

        // Files first, through the file manager's own form (/ufsu: no restart), then the armed settings upload (/u2),
        // after which the device restarts once.
        var paths = plug.Requests.Where(r => r.Method == "POST").Select(r => r.Path).ToList();
        Assert.Equal(["/ufsu", "/ufsu", "/ufsu", "/u2"], paths);
        var rs = plug.Requests.ToList().FindLastIndex(r => r.Path == "/rs");
        Assert.True(plug.Requests.ToList().FindLastIndex(r => r.Path == "/u2") == rs + 1);
        Assert.Single(plug.Uploads);
        Assert.Equal(1, plug.Restarts);

        // The pre-restore backup kept the broken script, so the restore can be undone.
        var preRestore = (string)done["pre_restore_backup"]!;
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, BackupFileName.FilesFile(preRestore)));
        Assert.Equal("broken(", Read(zip, "autoexec.be"));
    }

    [Fact]
    public async Task Restore_IsRefused_WhenTheDeviceLacksAFolderTheScriptsNeed_AndNothingIsSent()
    {
        var plug = await BerryDeviceAsync("Heating");
        await using var app = await StartAppAsync(services: s => s.AddSingleton(QuickRestart));
        await BackUpAsync(plug);
        plug.FileSystem!.Clear();

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{plug.Mac}}","backup":"latest"}""");

        var failed = await RestoreEndAsync();
        Assert.Equal("restore_failed", (string?)failed["event_type"]);
        Assert.Equal("the backup holds user files in /lib, a folder this device does not have; create it in the device's file manager first", (string?)failed["reason"]);
        Assert.DoesNotContain(plug.Requests, r => r.Method == "POST");
    }

    [Theory]

    // 13.4 and later answer /ufsu with HandleUploadUFSDone's page; up to 13.3 with a bare 303 (no verdict, no restart).
    [InlineData("15.1.0", "en", null)]
    [InlineData("14.6.0", "de", null)]
    [InlineData("13.3.0", "en", null)]
    [InlineData("15.1.0", "en", "the device did not take the user file lib/big.bin: its file system has not enough free space for it (Tasmota error 9)")]
    [InlineData("15.1.0", "de", "the device did not take the user file lib/big.bin: its file system has not enough free space for it (Tasmota error 9)")]
    public async Task UserFiles_GoThroughTheFileManagersForm_WithoutARestart(string version, string language, string? failure)
    {
        var device = Own(FakeTasmota.Start("Files", port: 0, version: version));
        device.Language = language;
        device.FileSystem = new FakeTasmotaFileSystem { FreeBytes = failure is null ? 1_000_000 : 100 };
        device.FileSystem.AddFolder("/lib");
        var userFiles = new TasmoGuardian.Kinds.Tasmota.TasmotaUserFiles(new TasmoGuardian.Net.DeviceHttp(TasmoGuardian.Net.DeviceHttp.CreateClient(), TimeProvider.System), new TasmoGuardian.Configuration.GuardianOptions(), TimeProvider.System);
        var files = new Dictionary<string, byte[]> { ["autoexec.be"] = Encoding.UTF8.GetBytes(Autoexec), ["lib/big.bin"] = new byte[200] };

        var upload = userFiles.UploadAsync(new TasmoGuardian.Net.DeviceAccess(device.Host, "admin", null), files, CancellationToken.None);

        if (failure is null)
        {
            await upload;
            Assert.Equal(Autoexec, Encoding.UTF8.GetString(device.FileSystem.Files["/autoexec.be"]));
            Assert.Equal(200, device.FileSystem.Files["/lib/big.bin"].Length);
        }
        else
        {
            Assert.Equal(failure, (await Assert.ThrowsAsync<TasmoGuardian.Devices.DeviceException>(() => upload)).Failure.Reason);
        }

        Assert.Equal(0, device.Restarts);
        Assert.DoesNotContain(device.Requests, r => r.Path == "/u2");
    }

    [Fact]
    public async Task AUserFilePostedToU2_IsWritten_AndRestartsTheDevice_AsTheFirmwareDoes()
    {
        var device = Own(FakeTasmota.Start("Files", port: 0, version: "15.1.0"));
        device.FileSystem = new FakeTasmotaFileSystem();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Referrer = new Uri($"http://{device.Host}/");
        (await http.GetAsync(new Uri($"http://{device.Host}/ufsd"))).EnsureSuccessStatusCode();

        using var form = new MultipartFormDataContent { { new ByteArrayContent("print(1)"u8.ToArray()), "u2", "autoexec.be" } };
        var answer = await (await http.PostAsync(new Uri($"http://{device.Host}/u2?fsz=8"), form)).Content.ReadAsStringAsync();

        Assert.Contains("location.href='.'", answer, StringComparison.Ordinal);
        Assert.Equal("print(1)", Encoding.UTF8.GetString(device.FileSystem.Files["/autoexec.be"]));
        Assert.Equal(1, device.Restarts);
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>A Tasmota 14.6 device with Berry scripts, a library folder, an empty folder and the firmware's hidden driver file.</summary>
    private async Task<FakeTasmota> BerryDeviceAsync(string name, Action<FakeTasmota>? configure = null, bool fileSystem = true) =>
        await DiscoveredTasmotaAsync(name, d =>
        {
            d.Version = "14.6.0";
            d.Dump = TasmotaDumpBuilder.Build(0x0E060000, seed: name.Length);
            if (fileSystem)
            {
                d.FileSystem = new FakeTasmotaFileSystem();
                d.FileSystem.Put("/autoexec.be", Autoexec);
                d.FileSystem.Put("/lib/util.be", new string('x', 5000));
                d.FileSystem.AddFolder("/lib/empty");
                d.FileSystem.Put("/matter.json", "{\"distinguish\":1234}");
                d.FileSystem.Put("/.drvset003", new byte[120]);
            }

            configure?.Invoke(d);
        });
}
