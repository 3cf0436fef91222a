using TasmoGuardian.Devices;
using TasmoGuardian.Configuration;
using TasmoGuardian.Kinds.Wled;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Wled;

public sealed class WledInfoParserTests
{
    [Fact]
    public void Parse_ReadsTheRealInfoOf0150b3()
    {
        var o = WledInfoParser.Parse(Fixtures.Payload("wled/wled_json_info_0.15.0-b3.json", "info"), out var problem);

        Assert.Null(problem);
        Assert.Equal("AABBCCDDEEFF", o!.Mac.ToString());
        Assert.Equal(DeviceType.Wled, o.Type);
        Assert.Equal("0.15.0-b3", o.Version);
        Assert.Equal("WLED CCT light", o.Name);
        Assert.Equal("127.0.0.1", o.Ip);
        Assert.Equal("WLED ESP32", o.Model);
    }

    // Real /json/info answers (tests/fixtures/README.md): the MAC is "mac", never the access point's "wifi.bssid".
    [Theory]
    [InlineData("wled/wled_json_info_0.14.4_esp32.json", "8813BF0455F0", "0.14.4", "WLED", "ESP32", "10.10.10.120")]
    [InlineData("wled/wled_json_info_0.15.4_esp32.json", "8813BF0455F0", "0.15.4", "WLED", "ESP32", "10.10.10.120")]
    [InlineData("wled/wled_json_info_16.0.0_esp32.json", "8813BF0455F0", "16.0.0", "WLED", "ESP32", "10.10.10.120")]
    [InlineData("wled/wled_json_info_16.0.1_esp32.json", "8813BF0455F0", "16.0.1", "WLED", "ESP32", "10.10.10.120")]
    public void Parse_IdentifiesEveryReleasesAnswer(string fixture, string mac, string version, string name, string platform, string ip)
    {
        var o = WledInfoParser.Parse(Fixtures.Bytes(fixture), out var problem);

        Assert.Null(problem);
        Assert.Equal((mac, version, name, platform, ip), (o!.Mac.ToString(), o.Version, o.Name, o.Platform, o.Ip));
    }

    [Fact]
    public void Parse_NamesWhereItLookedForTheMac_WhenTheAnswerHasNone()
    {
        // The 0.13.3 capture was published with its MAC zeroed, which is no device's.
        Assert.Null(WledInfoParser.Parse(Fixtures.Bytes("wled/wled_json_info_0.13.3_esp8266.json"), out var problem));
        Assert.Equal("has no MAC at \"mac\"", problem);
        Assert.Null(WledInfoParser.Parse("""{"info":{"ver":"0.15.4"}}"""u8.ToArray(), out problem));
        Assert.Equal("has no MAC at \"info.mac\"", problem);
    }

    // package.json's version as the firmware reports it is the contract's form already: pre-releases are names, not suffixes.
    [Theory]
    [InlineData("0.13.3", "0.13.3")]
    [InlineData("0.14.4", "0.14.4")]
    [InlineData("0.15.0-b3", "0.15.0-b3")]
    [InlineData("0.15.0-rc1", "0.15.0-rc1")]
    [InlineData("0.15.1.beta1", "0.15.1.beta1")]
    [InlineData("16.0.0-beta", "16.0.0-beta")]
    [InlineData("17.0.0-devV5", "17.0.0-devV5")]
    public void Parse_KeepsTheVersionAsTheFirmwareNamesIt(string ver, string version) =>
        Assert.Equal(version, WledInfoParser.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"mac":"8813bf0455f0","ver":"{{ver}}"}"""), out _)!.Version);

    [Fact]
    public void Parse_ReadsTheInfoInsideAFullJsonAnswer()
    {
        var o = WledInfoParser.Parse("""{"state":{"on":true},"info":{"mac":"aabbccddeeff","ver":"16.0.1"}}"""u8.ToArray(), out _);

        Assert.Equal("16.0.1", o!.Version);
    }

    [Theory]
    [InlineData("""{"ver":"0.15.0"}""")]
    [InlineData("""{"mac":"nope"}""")]
    [InlineData("<html></html>")]
    public void Parse_Refuses_WhenThereIsNoMac(string payload) =>
        Assert.Null(WledInfoParser.Parse(System.Text.Encoding.UTF8.GetBytes(payload), out _));
}
