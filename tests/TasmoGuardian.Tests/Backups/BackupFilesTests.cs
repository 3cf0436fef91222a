using Microsoft.Extensions.Time.Testing;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Backups;

public sealed class BackupFilesTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 3, 29, 0, 30, 5, TimeSpan.Zero);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Save_WritesTheContractsName_InLocalTime_AndLeavesNoTemporaryFile()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var clock = new FakeTimeProvider(When);
        clock.SetLocalTimeZone(berlin);
        var services = new Services(_folder, time: clock);
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "../Kitchen/..", Id = 1 };
        var content = TasmotaDumpBuilder.Build();

        var saved = await services.Files.SaveAsync(device, content, "dmp", "13.1.0(tasmota)", When, CancellationToken.None);

        Assert.Equal("_Kitchen_../A1B2C3D4E5F6-2026-03-29_01_30_05-v13.1.0_tasmota_.dmp", saved.RelativePath);
        Assert.Equal([saved.RelativePath], _folder.BackupFiles());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_folder.Backups, saved.RelativePath)));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), saved.Sha256);
    }

    // Backups hold Wi-Fi, MQTT and web passwords.
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Save_WritesOwnerOnlyFiles_InOwnerOnlyFolders_AndFlushesTheFolderAfterTheRename()
    {
        var recording = new RecordingFileSystem();
        var services = new Services(_folder, fileSystem: recording);
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Id = 1 };

        var saved = await services.Files.SaveAsync(device, TasmotaDumpBuilder.Build(), new byte[] { 1, 2 }, "dmp", "13.1.0", When, CancellationToken.None);

        var file = Path.Combine(_folder.Backups, saved.RelativePath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder.Backups, saved.FilesRelativePath!)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(["write", "write", "rename+sync", "rename+sync"], recording.Steps);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ListBackupFiles_TightensFilesAnOlderReleaseLeftReadableByAll()
    {
        var services = new Services(_folder);
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Id = 1 };
        var saved = await services.Files.SaveAsync(device, new byte[] { 1 }, "dmp", "1", When, CancellationToken.None);
        var file = Path.Combine(_folder.Backups, saved.RelativePath);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Path.GetDirectoryName(file)!, (UnixFileMode)0b111_101_101);

        services.Files.ListBackupFiles();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public async Task Save_MovesToTheNextSecond_WhenTheNameIsTaken()
    {
        var services = new Services(_folder);
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Id = 1 };

        var first = await services.Files.SaveAsync(device, new byte[] { 1 }, "dmp", "1", When, CancellationToken.None);
        var second = await services.Files.SaveAsync(device, new byte[] { 2 }, "dmp", "1", When, CancellationToken.None);

        Assert.EndsWith("00_30_05-v1.dmp", first.RelativePath, StringComparison.Ordinal);
        Assert.EndsWith("00_30_06-v1.dmp", second.RelativePath, StringComparison.Ordinal);
        Assert.Equal([1], await File.ReadAllBytesAsync(Path.Combine(_folder.Backups, first.RelativePath)));
    }

    [Fact]
    public async Task Save_FailsWithAReason_AndLeavesNothing_WhenTheDiskFails()
    {
        var services = new Services(_folder, fileSystem: new FailingFileSystem(writeBytes: 1000));
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Id = 1 };

        var ex = await Assert.ThrowsAsync<DeviceException>(() => services.Files.SaveAsync(device, TasmotaDumpBuilder.Build(), "dmp", "1", When, CancellationToken.None));

        Assert.Equal(FailureKind.WriteFailed, ex.Failure.Kind);
        Assert.Contains("No space left on device", ex.Failure.Reason, StringComparison.Ordinal);
        Assert.Empty(_folder.BackupFiles());
    }

    [Fact]
    public async Task Save_LeavesNothing_WhenCancelledMidWrite()
    {
        using var cts = new CancellationTokenSource();
        var services = new Services(_folder, fileSystem: new FailingFileSystem(writeBytes: 10, cancel: cts));
        var device = new Device { Mac = Mac.Parse("A1B2C3D4E5F6"), Name = "Kitchen", Id = 1 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.Files.SaveAsync(device, TasmotaDumpBuilder.Build(), "dmp", "1", When, cts.Token));

        Assert.Empty(_folder.BackupFiles());
    }

    [Theory]
    [InlineData("../outside.dmp")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    public void Resolve_RefusesPathsOutsideBackupDir(string relative) =>
        Assert.Throws<InvalidOperationException>(() => new Services(_folder).Files.Resolve(relative));

    /// <summary>A disk that fills up (or is cancelled) part way through the temporary file, as a full tmpfs would.</summary>
    private sealed class FailingFileSystem(int writeBytes, CancellationTokenSource? cancel = null) : IBackupFileSystem
    {
        public void Rename(string from, string to) => File.Move(from, to, overwrite: false);

        public async Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            await using (var stream = new FileStream(path, FileMode.CreateNew))
            {
                await stream.WriteAsync(content[..writeBytes], cancellationToken);
            }

            if (cancel is not null)
            {
                await cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            throw new IOException("No space left on device");
        }
    }

    /// <summary>The real file system, telling the order of its steps and whether each rename's folder was flushed.</summary>
    private sealed class RecordingFileSystem : IBackupFileSystem
    {
        private readonly PhysicalBackupFileSystem _disk = new();

        public List<string> Steps { get; } = [];

        public async Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            await _disk.WriteNewFileAsync(path, content, cancellationToken);
            Steps.Add("write");
        }

        public void Rename(string from, string to)
        {
            File.Move(from, to, overwrite: false);
            Steps.Add(TasmoGuardian.Storage.OwnerOnly.SyncFolder(Path.GetDirectoryName(to)!) ? "rename+sync" : "rename");
        }
    }
}
