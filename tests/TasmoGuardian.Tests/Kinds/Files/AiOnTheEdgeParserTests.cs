using System.Text;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AiOnTheEdge;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Files;

/// <summary>AI-on-the-Edge's version rule over every FirmwareVersion fixture, and its config.ini and image checks over the shipped config.ini of each release.</summary>
public sealed class AiOnTheEdgeParserTests
{
    public static TheoryData<string, string?> VersionFixtures => new()
    {
        { "ai_on_the_edge_info_FirmwareVersion_v16.1.0.txt", "16.1.0" },
        { "ai_on_the_edge_info_FirmwareVersion_v15.7.0.txt", "15.7.0" },
        { "ai_on_the_edge_info_FirmwareVersion_rolling_capture.txt", null },
        { "ai_on_the_edge_info_FirmwareVersion_HEAD_capture.txt", null },
    };

    [Theory]
    [MemberData(nameof(VersionFixtures))]
    public void FirmwareVersion_IsTheReleaseTagWithoutItsV_AndNoneForADevelopmentBuild(string fixture, string? version) =>
        Assert.Equal(version, AiOnTheEdgeKind.FirmwareVersion(Fixtures.Text("ai_on_the_edge/" + fixture)));

    [Fact]
    public void TheTable_CoversEveryFirmwareVersionFixture() =>
        Assert.Equal(
            Directory.GetFiles(Path.Combine(Fixtures.Folder, "ai_on_the_edge"), "ai_on_the_edge_info_FirmwareVersion_*.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            VersionFixtures.Select(row => (string)row[0]).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("Release: v16.0.0-RC6 (Commit: 2986c61)", "16.0.0-RC6")]
    [InlineData("Release: 16.0.0-RC7 (Commit: 00ac213+)", "16.0.0-RC7")]
    [InlineData("Release: v16-0-0-RC1 (Commit: 1234567)", "16-0-0-RC1")]
    [InlineData("Release: N/A (Commit: N/A)", null)]
    [InlineData("Development-Branch: rolling (Commit: 1b600d5+)", null)]
    [InlineData("v15.7.0", "15.7.0")]
    [InlineData("15.7.0", "15.7.0")]
    [InlineData("", null)]
    public void FirmwareVersion_ReadsEveryFormTheFirmwareAndOlderBackupsWrite(string answer, string? version) =>
        Assert.Equal(version, AiOnTheEdgeKind.FirmwareVersion(answer));

    [Fact]
    public void FirmwareVersion_AgreesWithTheBareGitTag() =>
        Assert.Equal(AiOnTheEdgeKind.FirmwareVersion(Fixtures.Text("ai_on_the_edge/ai_on_the_edge_info_GitTag_v16.1.0.txt")), AiOnTheEdgeKind.FirmwareVersion(Fixtures.Text("ai_on_the_edge/ai_on_the_edge_info_FirmwareVersion_v16.1.0.txt")));

    [Theory]
    [InlineData("ai_on_the_edge_config_v15.7.0.ini")]
    [InlineData("ai_on_the_edge_config_v16.1.0.ini")]
    public void AlignmentImages_AreTheUncommentedPathsOfTheAlignmentSection_InEachReleasesConfig(string fixture)
    {
        var config = Fixtures.Bytes("ai_on_the_edge/" + fixture);

        Assert.Same(config, AiOnTheEdgeKind.CheckConfig(config, "config.ini"));
        Assert.Equal(["config/ref0.jpg", "config/ref1.jpg"], AiOnTheEdgeKind.AlignmentImages(config));
    }

    [Fact]
    public void AlignmentImages_LeaveOutCommentedLinesAndOtherSections_AndRefusePathsThatLeaveTheCard()
    {
        Assert.Equal(["config/a.jpg"], AiOnTheEdgeKind.AlignmentImages("[Alignment]\n;/config/old.jpg 1 1\n/config/a.jpg 2 2\n[Digits]\n/config/not-alignment.jpg 1 1\n"u8.ToArray()));
        Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.AlignmentImages("[Alignment]\n/config/../../etc/x.jpg 1 1\n"u8.ToArray()));
    }

    [Theory]
    [InlineData("<html><body>Error</body></html>", "HtmlPage")]
    [InlineData("[TakeImage]\nImageSize = VGA\n", "NotADump")]
    [InlineData("", "EmptyReply")]
    public void ConfigIni_WithoutItsAlignmentSection_IsRefused(string body, string kind) =>
        Assert.Equal(Enum.Parse<FailureKind>(kind), Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckConfig(Encoding.UTF8.GetBytes(body), "config.ini")).Failure.Kind);

    [Fact]
    public void AnImageWithoutItsEndMarker_IsCutShort()
    {
        Assert.Equal(FailureKind.Truncated, Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckImage([0xFF, 0xD8, 0xFF, 0xE0, 1, 2], "ref0.jpg")).Failure.Kind);
        Assert.Equal(FailureKind.NotADump, Assert.Throws<DeviceException>(() => AiOnTheEdgeKind.CheckImage("GIF89a"u8.ToArray(), "ref0.jpg")).Failure.Kind);
    }
}
