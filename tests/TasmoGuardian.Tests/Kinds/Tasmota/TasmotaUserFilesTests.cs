using System.Text;
using TasmoGuardian.Kinds.Tasmota;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

/// <summary>
/// The file system page as UfsDirectory/UfsListDir write it (xdrv_50_filesystem.ino @8663a1b6: UFS_FORM_SDC_DIRb
/// "&lt;pre%s&gt;&lt;a href='%s' file='%s'&gt;%s&lt;/a&gt; %19s %8d %s %s&lt;/pre&gt;", folders with an empty time and size 0,
/// the ".." line as UFS_FORM_SDC_DIRd), and the rules the restore checks with.
/// </summary>
public sealed class TasmotaUserFilesTests
{
    private const string Head = "<!DOCTYPE html><html><body><div id='f1' name='f1' style='display:block;'><fieldset><legend><b>&nbsp;Manage File system&nbsp;</b></legend>"
        + "<form method='post' action='ufsu' enctype='multipart/form-data'><br><input type='file' name='ufsu'><br></form>"
        + "<div style='text-align:left;overflow:auto;height:250px;'>";

    private const string Tail = "</div></fieldset></div></body></html>";

    [Fact]
    public void Read_TakesFilesAndFolders_WithTheirSizes_AndSkipsTheWayUp()
    {
        var page = Head
            + "<pre><a href='ufsd?download=/' file='/lib'>..</a></pre>"
            + "<pre><a href='ufsd?download=/lib' file='lib'>lib                     </a>                            0 <a href='ufsd?delete=/lib&download=/'>&#128293;</a>  </pre>"
            + "<pre><a href='ufsd?download=/autoexec.be' file='autoexec.be'>autoexec.be             </a> 2025-10-11T13:05:13      812 <a href='x'>&#128293;</a> <a href='ufse?file=/autoexec.be'>&#x1F4DD;</a></pre>"
            + "<pre class='hf'><a href='ufsd?download=/.drvset003' file='.drvset003'>.drvset003              </a> 2025-10-11T13:05:13      120  </pre>"
            + "<pre><a href='ufsd?download=/my%20file%26more.txt' file='my%20file%26more.txt'>my file&amp;more.txt       </a> 1970-01-01T00:00:00        0  </pre>"
            + Tail;

        var entries = TasmotaFileListing.Read(Encoding.UTF8.GetBytes(page));

        Assert.Equal(
            [new("/lib", true, 0), new("/autoexec.be", false, 812), new("/.drvset003", false, 120), new TasmotaFileListing.Entry("/my file&more.txt", false, 0)],
            entries);
    }

    [Fact]
    public void Read_TakesTheOlderLinksWithTheDevicesAddress()
    {
        var page = Head + "<pre><a href='http://192.168.1.7/ufsd?download=/script.txt' file='script.txt'>script.txt</a> 2021-03-01T10:00:00     2048 </pre>" + Tail;

        Assert.Equal([new TasmotaFileListing.Entry("/script.txt", false, 2048)], TasmotaFileListing.Read(Encoding.UTF8.GetBytes(page)));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><head><title>Tasmota - Main Menu</title></head><body>Tasmota</body></html>")]
    [InlineData("File Not Found")]
    [InlineData("")]
    public void Read_IsNull_ForAPageThatIsNotTheFileManager(string page) => Assert.Null(TasmotaFileListing.Read(Encoding.UTF8.GetBytes(page)));

    [Fact]
    public void Read_IgnoresLinksThatClimbOut()
    {
        var page = Head + "<pre><a href='ufsd?download=/../etc/passwd' file='passwd'>passwd</a> 2025-10-11T13:05:13      10 </pre>" + Tail;

        Assert.Empty(TasmotaFileListing.Read(Encoding.UTF8.GetBytes(page))!);
    }

    [Theory]
    [InlineData("14.6.0", true)]
    [InlineData("14.6.0.2", true)]
    [InlineData("15.1.0", true)]
    [InlineData("14.5.0", false)]
    [InlineData("13.1.0", false)]
    [InlineData("9.1.0", false)]
    [InlineData(null, false)]
    [InlineData("unknown", false)]
    public void Applies_FromFirmware14Point6(string? version, bool expected) => Assert.Equal(expected, TasmotaUserFiles.Applies(version));

    [Fact]
    public void MissingFolders_NamesTheFoldersTheDeviceLacks()
    {
        var backup = Files(("autoexec.be", "a"), ("lib/", ""), ("lib/util.be", "u"), ("web/ui/x.html", "x"));
        var current = Files(("lib/", ""));

        Assert.Equal(["/web/ui"], TasmotaUserFiles.MissingFolders(backup, current));
        Assert.Equal(["/lib", "/web/ui"], TasmotaUserFiles.MissingFolders(backup, null));
        Assert.Empty(TasmotaUserFiles.MissingFolders(Files(("autoexec.be", "a")), null));
    }

    [Fact]
    public void Differences_WantEveryFileBack_AsItWas_AndAllowFilesTheDeviceAdded()
    {
        var backup = Files(("autoexec.be", "print(1)"), ("lib/", ""), ("lib/util.be", "u"));

        Assert.Null(TasmotaUserFiles.Differences(backup, Files(("autoexec.be", "print(1)"), ("lib/util.be", "u"), ("extra.be", "e"))));
        Assert.Equal("the device came back without the user file /lib/util.be", TasmotaUserFiles.Differences(backup, Files(("autoexec.be", "print(1)"))));
        Assert.Equal("the device's user file /autoexec.be differs from the backup's", TasmotaUserFiles.Differences(backup, Files(("autoexec.be", "print(2)"), ("lib/util.be", "u"))));
        Assert.Equal("the device came back without the user file /autoexec.be", TasmotaUserFiles.Differences(backup, null));
    }

    private static Dictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text), StringComparer.Ordinal);
}
