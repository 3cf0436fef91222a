using System.Text;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AiOnTheEdge;
using TasmoGuardian.Kinds.Awtrix;
using TasmoGuardian.Kinds.OpenHasp;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Files;

/// <summary>Identification of AI-on-the-Edge, Awtrix and openHASP from the answer shapes in tests/fixtures, and the shared file rules (OpenDTU and AhoyDTU: Kinds/OpenDtu, Kinds/AhoyDtu).</summary>
public sealed class FileKindParserTests
{
    [Fact]
    public void AiOnTheEdge_AlignmentImages_AreTheUncommentedPathsOfTheAlignmentSection()
    {
        var config = Fixtures.Bytes("ai_on_the_edge/ai_on_the_edge_config_v15.ini");

        Assert.Equal(["config/ref0.jpg", "config/ref1.jpg"], AiOnTheEdgeKind.AlignmentImages(config));
        Assert.Equal(["config/a.jpg"], AiOnTheEdgeKind.AlignmentImages("[Alignment]\n;/config/old.jpg 1 1\n/config/a.jpg 2 2\n[Digits]\n/config/not-alignment.jpg 1 1\n"u8.ToArray()));
        Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.AlignmentImages("[Alignment]\n/config/../../etc/x.jpg 1 1\n"u8.ToArray()));
    }

    [Theory]
    [InlineData("<html><body>Error</body></html>", "HtmlPage")]
    [InlineData("[TakeImage]\nImageSize = VGA\n", "NotADump")]
    [InlineData("", "EmptyReply")]
    public void AiOnTheEdge_ConfigIni_WithoutItsAlignmentSection_IsRefused(string body, string kind) =>
        Assert.Equal(Enum.Parse<FailureKind>(kind), Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckConfig(Encoding.UTF8.GetBytes(body), "config.ini")).Failure.Kind);

    [Fact]
    public void AiOnTheEdge_AnImageWithoutItsEndMarker_IsCutShort()
    {
        Assert.Equal(FailureKind.Truncated, Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckImage([0xFF, 0xD8, 0xFF, 0xE0, 1, 2], "ref0.jpg")).Failure.Kind);
        Assert.Equal(FailureKind.NotADump, Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckImage("GIF89a"u8.ToArray(), "ref0.jpg")).Failure.Kind);
    }

    [Fact]
    public void Awtrix_IsIdentifiedFromItsStats_WithAStableIdFromTheThreeBytesItTells()
    {
        var device = AwtrixKind.Parse(Fixtures.Bytes("awtrix/awtrix_api_stats_0.96.json"));

        Assert.Equal(("0241570EF0D4", "awtrix_0ef0d4", "0.96", "192.168.178.40"), (device.Mac.ToString(), device.Name, device.Version, device.Ip));
    }

    [Theory]
    [InlineData("awtrix_0ef0d4", "0241570EF0D4")]
    [InlineData("AWTRIX_ABCDEF", "024157ABCDEF")]
    [InlineData("awtrix_0ef0d", null)]
    [InlineData("awtrix_zzzzzz", null)]
    [InlineData(null, null)]
    public void Awtrix_StableId_Is024157AndTheUidsLastSixHexDigits(string? uid, string? id) =>
        Assert.Equal(id, AwtrixKind.StableId(uid)?.ToString());

    [Fact]
    public void OpenHasp_IsIdentifiedFromApiInfo_WhateverLanguageItsKeysAreIn()
    {
        var device = OpenHaspKind.Parse(Fixtures.Bytes("openhasp/openhasp_api_info_0.7.0.json"), """{"mqtt":{"name":"hallway"}}"""u8.ToArray());
        Assert.Equal(("240AC41A2B3C", "hallway", "0.7.0-rc13", "ESP32-D0WD-V3"), (device.Mac.ToString(), device.Name, device.Version, device.Platform));

        var french = """{"openHASP":{"Version":"0.6.3"},"Wifi":{"Adresse IP":"10.0.0.9","Adresse MAC":"24:0A:C4:00:11:22"}}"""u8.ToArray();
        var plate = OpenHaspKind.Parse(french, null);
        Assert.Equal(("240AC4001122", "0.6.3", null), (plate.Mac.ToString(), plate.Version, plate.Name));
    }

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
