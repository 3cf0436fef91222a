using TasmoGuardian.Backups.Files;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Tests.Backups;

public sealed class BackupFileNameTests
{
    private static readonly Mac Id = Mac.Parse("A1B2C3D4E5F6");

    [Theory]
    [InlineData("Kitchen plug", "Kitchen plug")]
    [InlineData("../../tmp/evil", "_.._tmp_evil")]
    [InlineData("..", "A1B2C3D4E5F6")]
    [InlineData("...hidden", "hidden")]
    [InlineData(" . spaced . ", "spaced .")]
    [InlineData("Küche/Licht", "K_che_Licht")]
    [InlineData("a\\b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i")]
    [InlineData("Lamp (old)_v2-3.1", "Lamp (old)_v2-3.1")]
    [InlineData("\u0000\u0001", "__")]
    [InlineData("", "A1B2C3D4E5F6")]
    [InlineData("   ", "A1B2C3D4E5F6")]
    [InlineData(null, "A1B2C3D4E5F6")]
    [InlineData("😀", "__")]
    [InlineData("/etc/passwd", "_etc_passwd")]
    public void Folder_FollowsTheContract(string? name, string expected) =>
        Assert.Equal(expected, BackupFileName.Folder(name, Id));

    [Fact]
    public void Folder_IsCutTo64Characters()
    {
        var folder = BackupFileName.Folder(new string('x', 1000), Id);

        Assert.Equal(64, folder.Length);
    }

    [Theory]
    [InlineData("13.1.0", "13.1.0")]
    [InlineData("0.15.0-b3", "0.15.0-b3")]
    [InlineData("15.0.1.5(bluetooth)", "15.0.1.5_bluetooth_")]
    [InlineData("../x", ".._x")]
    [InlineData("1 2", "1_2")]
    [InlineData(null, "unknown")]
    [InlineData("", "unknown")]
    public void Version_KeepsOnlySafeCharacters(string? version, string expected) =>
        Assert.Equal(expected, BackupFileName.Version(version));

    [Fact]
    public void File_IsTheContractsName_AndParsesBack()
    {
        var name = BackupFileName.File(Id, new DateTime(2026, 3, 29, 2, 30, 5), "13.1.0", "dmp");

        Assert.Equal("A1B2C3D4E5F6-2026-03-29_02_30_05-v13.1.0.dmp", name);
        Assert.Equal((Id, new DateTime(2026, 3, 29, 2, 30, 5), "13.1.0"), BackupFileName.Parse(name));
    }

    [Fact]
    public void FilesFile_SharesTheMainFilesStem()
    {
        Assert.Equal("Plug/A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.files.zip", BackupFileName.FilesFile("Plug/A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.dmp"));
        Assert.True(BackupFileName.IsFilesFile("A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.files.zip"));
        Assert.False(BackupFileName.IsFilesFile("A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.zip"));
        Assert.Equal((Id, new DateTime(2026, 3, 29, 2, 30, 5), "14.6.0"), BackupFileName.ParseFilesFile("A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.files.zip"));
        Assert.Null(BackupFileName.ParseFilesFile("A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.dmp"));
        Assert.Null(BackupFileName.ParseFilesFile("notes.files.zip"));
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("A1B2C3D4E5F6-2026-03-29_02_30_05-v13.1.0.dmp.bak")]
    [InlineData(".tg-0123.tmp")]
    [InlineData("a1b2c3d4e5f6-2026-03-29_02_30_05-v13.1.0.dmp")]
    [InlineData("A1B2C3D4E5F6-2026-13-29_02_30_05-v13.1.0.dmp")]

    // User files beside a dump are part of its backup, never a backup of their own.
    [InlineData("A1B2C3D4E5F6-2026-03-29_02_30_05-v14.6.0.files.zip")]
    public void Parse_LeavesOtherFilesAlone(string name) => Assert.Null(BackupFileName.Parse(name));

    [Fact]
    public void NoHostileNameOrVersion_LeavesTheFolder()
    {
        var root = Path.GetFullPath("/backups");
        var random = new Random(9);
        var alphabet = "./\\:*?\"<>| \u0000abcXYZ019._-()é😀\n".ToCharArray();
        for (var i = 0; i < 5000; i++)
        {
            var name = new string(Enumerable.Range(0, random.Next(0, 30)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var version = new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var path = Path.GetFullPath(Path.Combine(root, BackupFileName.Folder(name, Id), BackupFileName.File(Id, DateTime.UnixEpoch, version, "dmp")));

            Assert.StartsWith(root + "/", path, StringComparison.Ordinal);
            Assert.Equal(root, Path.GetDirectoryName(Path.GetDirectoryName(path)));
        }
    }
}
