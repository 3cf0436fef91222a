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

    [Fact]
    public void Info_ReadsAGen2DeviceInfo()
    {
        var info = ShellyInfo.Parse(Fixtures.Bytes("shelly/gen2_shelly_getdeviceinfo.json"), out var problem)!;

        Assert.Null(problem);
        Assert.Equal(("441793D69718", 2, "shellyplus1pm-441793d69718", "Boiler relay", "1.0.8", "Plus1PM", true), (info.Mac.ToString(), info.Generation, info.Id, info.Name, info.Version, info.Model, info.AuthEnabled));
        Assert.Equal(TasmoGuardian.Devices.DeviceType.ShellyGen2, info.ToObservation().Type);
    }

    [Fact]
    public void Info_ReadsAGen1Shelly_AndItsVersionFromFw()
    {
        var info = ShellyInfo.Parse(Fixtures.Bytes("shelly/gen1_shelly.json"), out _)!;

        Assert.Equal(("A4CF12F45678", 1, "1.9.0", "SHSW-1", false), (info.Mac.ToString(), info.Generation, info.Version, info.Model, info.AuthEnabled));
        Assert.Equal(TasmoGuardian.Devices.DeviceType.ShellyGen1, info.ToObservation().Type);
    }

    [Theory]
    [InlineData("""{"name":"x"}""", "no valid \"mac\"")]
    [InlineData("<html>", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    public void Info_RefusesWhatIsNotAShelly(string payload, string problem)
    {
        Assert.Null(ShellyInfo.Parse(System.Text.Encoding.UTF8.GetBytes(payload), out var why));
        Assert.Contains(problem, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "heating.js", "scripts/1_heating.js")]
    [InlineData(3, "night light", "scripts/3_night_light.js")]
    [InlineData(4, "../../etc/passwd", "scripts/4__.._etc_passwd.js")]
    [InlineData(5, "", "scripts/5_script.js")]
    public void ScriptFileName_StaysInsideTheZipsScriptsFolder(long id, string name, string expected) =>
        Assert.Equal(expected, ShellyGen2Kind.ScriptFileName(id, name));
}
