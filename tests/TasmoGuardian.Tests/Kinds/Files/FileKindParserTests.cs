using System.Text;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Files;

/// <summary>The rules every file-based kind shares (each kind's own answers are tested beside it: Kinds/OpenDtu, Kinds/AhoyDtu, Kinds/Files/*ParserTests).</summary>
public sealed class FileKindParserTests
{
    [Theory]
    [InlineData("/config.json", "config.json")]
    [InlineData("ICONS/12.gif", "ICONS/12.gif")]
    [InlineData("../secrets", null)]
    [InlineData("a/../../b", null)]
    [InlineData("a\\b", null)]
    [InlineData("a//b", null)]
    [InlineData("x\u0001y", null)]
    [InlineData("/", null)]
    public void SafePath_KeepsRelativeNames_AndRefusesWhatCouldLeaveTheZip(string raw, string? safe)
    {
        if (safe is null)
        {
            Assert.Equal(FailureKind.NotADump, Assert.Throws<DeviceException>(() => FileSet.SafePath(raw, "the list")).Failure.Kind);
        }
        else
        {
            Assert.Equal(safe, FileSet.SafePath(raw, "the list"));
        }
    }

    [Fact]
    public void ParseListing_ReadsSizesAsNumbersOrText_AndNamesRelativeToTheFolder()
    {
        var files = FileSet.ParseListing("""[{"type":"dir","size":"0","name":"ICONS"},{"type":"file","size":"123","name":"a.gif"},{"name":"b.json","size":5}]"""u8.ToArray(), "/ICONS/", "the list");

        Assert.Equal([new ListedFile("ICONS/ICONS", true, 0), new ListedFile("ICONS/a.gif", false, 123), new ListedFile("ICONS/b.json", false, 5)], files);
        Assert.Equal(FailureKind.HtmlPage, Assert.Throws<DeviceException>(() => FileSet.ParseListing("<!DOCTYPE html><html></html>"u8.ToArray(), "/", "the list")).Failure.Kind);
        Assert.Equal(FailureKind.InvalidJson, Assert.Throws<DeviceException>(() => FileSet.ParseListing("""{"files":[]}"""u8.ToArray(), "/", "the list")).Failure.Kind);
    }

    [Fact]
    public void Check_HoldsAFileToItsListedSize_JsonToJson_AndTextToNotBeingAPage()
    {
        Assert.Equal(FailureKind.Truncated, Assert.Throws<DeviceException>(() => FileSet.Check("a.bin", [1, 2], 3)).Failure.Kind);
        Assert.Equal(FailureKind.InvalidJson, Assert.Throws<DeviceException>(() => FileSet.Check("a.json", "{\"a\":"u8.ToArray(), null)).Failure.Kind);
        Assert.Equal(FailureKind.HtmlPage, Assert.Throws<DeviceException>(() => FileSet.Check("boot.cmd", "<html><body>x</body></html>"u8.ToArray(), null)).Failure.Kind);
        Assert.Equal([1, 2, 3], FileSet.Check("font.bin", [1, 2, 3], 3));
    }

    [Fact]
    public void FirstDifference_ComparesJsonByValue_AndEverythingElseByBytes()
    {
        var restored = new Dictionary<string, byte[]> { ["a.json"] = """{"x":1,"y":[1,2]}"""u8.ToArray(), ["b.bin"] = [1, 2] };

        Assert.Null(FileSet.FirstDifference(restored, new Dictionary<string, byte[]> { ["a.json"] = """{ "y":[1,2], "x":1, "added":true }"""u8.ToArray(), ["b.bin"] = [1, 2] }));
        Assert.Equal("the device came back with another b.bin than the backup's", FileSet.FirstDifference(restored, new Dictionary<string, byte[]> { ["a.json"] = restored["a.json"], ["b.bin"] = [1, 3] }));
        Assert.Equal("the device came back without b.bin", FileSet.FirstDifference(restored, new Dictionary<string, byte[]> { ["a.json"] = restored["a.json"] }));
        Assert.Contains("x", FileSet.FirstDifference(restored, new Dictionary<string, byte[]> { ["a.json"] = """{"x":2,"y":[1,2]}"""u8.ToArray(), ["b.bin"] = [1, 2] }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v24.11.7", "24.11.7")]
    [InlineData("V15.7.0", "15.7.0")]
    [InlineData("1a2b3c4", "1a2b3c4")]
    [InlineData("vendor", "vendor")]
    [InlineData("v", "v")]
    public void TagVersions_LoseTheirV_SoFileNamesReadV24_11_7(string tag, string version) =>
        Assert.Equal(version, DeviceText.CleanTagVersion(tag));
}
