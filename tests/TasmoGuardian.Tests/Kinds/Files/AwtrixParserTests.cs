using System.Text.Json;
using TasmoGuardian.Kinds.Awtrix;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Files;

/// <summary>Awtrix 3's identification over every /api/stats fixture, its stable id, and its display settings in the form POST /api/settings reads.</summary>
public sealed class AwtrixParserTests
{
    // uid "awtrix_55f85c" is MAC 48:27:E2:55:F8:5C's last three bytes; ip_address came with 0.91.
    public static TheoryData<string, string, string?> StatsFixtures => new()
    {
        { "awtrix_api_stats_0.98.json", "0.98", "192.168.1.123" },
        { "awtrix_api_stats_0.96.json", "0.96", "192.168.1.123" },
        { "awtrix_api_stats_0.90.json", "0.90", null },
    };

    [Theory]
    [MemberData(nameof(StatsFixtures))]
    public void Parse_IsIdentifiedFromItsStats_WithAStableIdFromTheThreeBytesItTells(string fixture, string version, string? ip)
    {
        var clock = AwtrixKind.Parse(Fixtures.Bytes("awtrix/" + fixture));

        Assert.Equal(("02415755F85C", "awtrix_55f85c", version, ip, "ESP32"), (clock.Mac.ToString(), clock.Name, clock.Version, clock.Ip, clock.Platform));
    }

    [Fact]
    public void TheTable_CoversEveryStatsFixture() =>
        Assert.Equal(
            Directory.GetFiles(Path.Combine(Fixtures.Folder, "awtrix"), "awtrix_api_stats_*").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            StatsFixtures.Select(row => (string)row[0]).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("awtrix_55f85c", "02415755F85C")]
    [InlineData("AWTRIX_ABCDEF", "024157ABCDEF")]
    [InlineData("awtrix_0ef0d", null)]
    [InlineData("awtrix_zzzzzz", null)]
    [InlineData(null, null)]
    public void StableId_Is024157AndTheUidsLastSixHexDigits(string? uid, string? id) =>
        Assert.Equal(id, AwtrixKind.StableId(uid)?.ToString());

    [Fact]
    public void ForPost_SendsColoursAsTextAndColourCorrectionAsRgb_AndEverythingElseAsReported()
    {
        var reported = Fixtures.Bytes("awtrix/awtrix_api_settings_0.98.json");

        using var posted = JsonDocument.Parse(AwtrixSettings.ForPost(reported));
        using var original = JsonDocument.Parse(reported);

        var root = posted.RootElement;
        Assert.Equal(original.RootElement.EnumerateObject().Select(p => p.Name), root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("#FFFFFF", "#FF0000", "#000000", "#666666"), (root.GetProperty("TCOL").GetString(), root.GetProperty("CHCOL").GetString(), root.GetProperty("TIME_COL").GetString(), root.GetProperty("WDCI").GetString()));
        Assert.Equal("[0,0,0]", root.GetProperty("CCORRECTION").GetRawText());
        Assert.Equal(("%H %M", 1.899999976, "clear", 7), (root.GetProperty("TFORMAT").GetString(), root.GetProperty("GAMMA").GetDouble(), root.GetProperty("OVERLAY").GetString(), root.GetProperty("ATIME").GetInt32()));
    }
}
