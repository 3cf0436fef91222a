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
