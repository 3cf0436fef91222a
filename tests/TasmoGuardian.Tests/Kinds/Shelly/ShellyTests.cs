using TasmoGuardian.Kinds.Shelly;
using TasmoGuardian.Net;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Shelly;

public sealed class ShellyTests
{
    [Fact]
    public void DigestAnswer_MatchesRfc7616sExample_ForSha256AndMd5()
    {
        // RFC 7616 §3.9.1: user Mufasa, password "Circle of Life", GET /dir/index.html.
        var challenge = DigestAuth.ParseChallenge("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")!;
        var sha = DigestAuth.Answer(challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        Assert.Contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"", sha, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\"", sha, StringComparison.Ordinal);
        Assert.Contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", sha, StringComparison.Ordinal);

        var md5Challenge = DigestAuth.ParseChallenge("Digest realm=\"http-auth@example.org\", qop=\"auth\", algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\"")!;
        Assert.Contains("response=\"8ca523f5e9506fed4657c9700eebdbec\"", DigestAuth.Answer(md5Challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic realm=\"shelly\"")]
    [InlineData("Digest nonce=\"x\"")]
    [InlineData(null)]
    public void DigestChallenge_IsNull_WhenItIsNotOne(string? header) => Assert.Null(DigestAuth.ParseChallenge(header));

    // Every captured /shelly answer (Gen2+: the same object as Shelly.GetDeviceInfo); provenance in tests/fixtures/README.md.
    [Theory]
    [InlineData("shelly_gen1_shelly_1.14.0_SHSW-1.json", "34945472A643", 1, "1.14.0", "shelly-34945472a643", "SHSW-1", false)]
    [InlineData("shelly_gen1_shelly_1.14.0_SHSW-25_roller.json", "3494546BBF7E", 1, "1.14.0", "shelly-3494546bbf7e", "SHSW-25", false)]
    [InlineData("shelly_gen1_shelly_1.14.0_SHPLG-S_no-longid.json", "E868E7C38EAB", 1, "1.14.0", "shelly-e868e7c38eab", "SHPLG-S", false)]
    [InlineData("shelly_gen1_shelly_1.11.7_SHSW-1.json", "483FDA822342", 1, "1.11.7", "shelly-483fda822342", "SHSW-1", false)]
    [InlineData("shelly_gen1_shelly_doc_SHSW-21_master-build.json", "5ECF7F1632E8", 1, null, "shelly-5ecf7f1632e8", "SHSW-21", true)]
    [InlineData("shelly_gen2_shelly_0.10.1_Plus1PM_no-model-no-slot.json", "441793CFECD8", 2, "0.10.1", "shellyplus1pm-441793cfecd8", "Plus1PM", false)]
    [InlineData("shelly_gen2_shelly_1.4.2_Plus2PM_auth-profile.json", "AABBCCDDEEFF", 2, "1.4.2", "Shelly Plus 2PM", "Plus2PM", true)]
    [InlineData("shelly_gen2_shelly_1.7.5_Plus1PM.json", "441793D69718", 2, "1.7.5", "1PM Plus", "Plus1PM", false)]
    [InlineData("shelly_gen3_shelly_1.7.5_1PMG3.json", "34B7DAC68344", 3, "1.7.5", "1PM Gen3", "S1PMG3", false)]
    [InlineData("shelly_gen3_shelly_1.5.0-beta2_BluGwG3_auth.json", "AABBCCDDEEFF", 3, "1.5.0-beta2", "Shelly BLU Gateway Gen3 [DDEEFF]", "BluGwG3", true)]
    [InlineData("shelly_gen4_shelly_1.7.5_1PMG4.json", "A085E3BD0544", 4, "1.7.5", "1PM Gen4", "S1PMG4", false)]
    [InlineData("shelly_gen4_shelly_1.5.99-g4prod1_Mini1G4ZB.json", "AABBCCDDEEFF", 4, "1.5.99-g4prod1", "Shelly 1 Mini Gen4 [DDEEFF]", "Mini1G4ZB", false)]
    [InlineData("shelly_gen4_shelly_1.8.99-xlg4samples0_S1LG4_fwid-without-version.json", "ABCDEF123456", 4, "1.8.99-xlg4samples0", "shelly1lg4-abcdef123456", "S1LG4", false)]
    public void Info_ReadsEveryCapturedIdentity(string file, string mac, int generation, string? version, string name, string model, bool auth)
    {
        var info = ShellyInfo.Parse(Fixtures.Bytes("shelly/" + file), "/shelly", out var problem)!;

        Assert.Null(problem);
        var observation = info.ToObservation();
        Assert.Equal((mac, generation, version, name, model, auth), (observation.Mac.ToString(), info.Generation, observation.Version, observation.Name, observation.Model, info.AuthEnabled));
        Assert.Equal(generation >= 2 ? TasmoGuardian.Devices.DeviceType.ShellyGen2 : TasmoGuardian.Devices.DeviceType.ShellyGen1, observation.Type);
    }

    // Gen1 "fw" build ids: the fixtures' and those quoted in the research (FACTS "Version string fw", with sources there).
    [Theory]
    [InlineData("20230913-112003/v1.14.0-gcb84623", "1.14.0")]
    [InlineData("20230913-112234/v1.14.0-gcb84623", "1.14.0")]
    [InlineData("20211109-124958/v1.11.7-g682a0db", "1.11.7")]
    [InlineData("20210413-155228/v1.10.2-gb89901a", "1.10.2")]
    [InlineData("20201124-091217/v1.9.0@57ac4ad8", "1.9.0")]
    [InlineData("20201202-140129/v1.9.3-rc3@50c6ab57", "1.9.3-rc3")]
    [InlineData("20200422-143924/v1.6.5@857fdb15+", "1.6.5")]
    [InlineData("20190531-075812/v1.5.0-hotfix2@022ec015", "1.5.0-hotfix2")]
    [InlineData("20231107-162940/v1.14.1-rc1-g0617c15", "1.14.1-rc1")]
    [InlineData("20161223-111304/master@2bc16496", null)]
    [InlineData("20191217-140757/1047-long-id-for-shelly-devices@a0661583", null)] // https://pastebin.com/Xma9epmT (a Shelly 1, 2022)
    [InlineData("v1.14.0-gcb84623", "1.14.0")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Gen1Version_IsTheContractForm_WithoutBuildIdOrCommit_KeepingPreReleaseParts(string? firmware, string? expected) =>
        Assert.Equal(expected, ShellyInfo.Gen1Version(firmware));

    // Gen2+: "ver" as the device tells it; "fw_id" only when "ver" is missing (FACTS "Version", sources there).
    [Theory]
    [InlineData("1.7.5", "20260311-095847/1.7.5-g9979d16", "1.7.5")]
    [InlineData("1.5.0-beta2", "20250203-144328/1.5.0-beta2-gbf89ed5", "1.5.0-beta2")]
    [InlineData("1.5.99-g4prod1", "20250214-121701/1.5.99-g4prod1-gc32c24b", "1.5.99-g4prod1")]
    [InlineData("1.8.99-xlg4samples0", "20251217-083356/g76b2b76", "1.8.99-xlg4samples0")]
    [InlineData("0.14.2-pro3em400prod0", null, "0.14.2-pro3em400prod0")]
    [InlineData(null, "20231107-164738/1.0.8-g5b47b2a", "1.0.8")]
    [InlineData(null, "20250203-144328/1.5.0-beta2-gbf89ed5", "1.5.0-beta2")]
    [InlineData(null, "20250214-121701/1.5.99-g4prod1-gc32c24b", "1.5.99-g4prod1")]
    [InlineData(null, "20240115-105444/1.2.8-59063a9a", "1.2.8")]
    [InlineData(null, "20251217-083356/g76b2b76", null)]
    [InlineData(null, null, null)]
    public void Gen2Version_IsVer_AndFwIdWithoutItsCommitOnlyWhenVerIsMissing(string? ver, string? firmwareId, string? expected) =>
        Assert.Equal(expected, ShellyInfo.Gen2Version(ver, firmwareId));

    [Theory]
    [InlineData("""{"type":"SHSW-1","auth":false,"fw":"20230913-112003/v1.14.0-gcb84623"}""", "/shelly has no MAC at \"mac\"")]
    [InlineData("""{"name":null,"id":"shellyplus1pm-441793d69718","gen":2}""", "/shelly has no MAC at \"mac\"")]
    [InlineData("""{"type":"SHSW-1","mac":"12:34"}""", "/shelly has no valid MAC at \"mac\" (\"12:34\")")]
    [InlineData("<html>", "/shelly is not a Shelly's answer (not valid JSON")]
    [InlineData("[]", "/shelly is not a Shelly's answer (expected a JSON object")]
    public void Info_SaysWhatIsMissingAndWhere_WhenItIsNotAShellysAnswer(string payload, string problem)
    {
        Assert.Null(ShellyInfo.Parse(System.Text.Encoding.UTF8.GetBytes(payload), "/shelly", out var why));
        Assert.StartsWith(problem, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "heating.js", "scripts/1_heating.js")]
    [InlineData(3, "night light", "scripts/3_night_light.js")]
    [InlineData(4, "../../etc/passwd", "scripts/4__.._etc_passwd.js")]
    [InlineData(5, "", "scripts/5_script.js")]
    public void ScriptFileName_StaysInsideTheZipsScriptsFolder(long id, string name, string expected) =>
        Assert.Equal(expected, ShellyGen2Kind.ScriptFileName(id, name));
}
