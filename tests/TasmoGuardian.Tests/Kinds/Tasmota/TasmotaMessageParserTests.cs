using System.Text;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

public sealed class TasmotaMessageParserTests
{
    [Fact]
    public void Parse_ReadsEveryRealStatusMessageOf920()
    {
        var reports = Fixtures.StatusMessages()
            .Select(m => (m.Topic, Report: TasmotaMessageParser.Parse(m.Topic.Split('/')[^1], m.Payload, out _)))
            .ToDictionary(r => r.Topic, r => r.Report);

        Assert.Equal(true, reports["tele/Basic-3/LWT"]!.Online);
        Assert.Equal(("x3", NameSource.DeviceName), (reports["stat/Basic-3/STATUS"]!.Name, reports["stat/Basic-3/STATUS"]!.NameSource));
        Assert.Equal("9.2.0", reports["stat/Basic-3/STATUS2"]!.Version);
        var net = reports["stat/Basic-3/STATUS5"]!;
        Assert.Equal(Mac.Parse("84F3EB487D21"), net.Mac);
        Assert.Equal("10.211.10.103", net.Ip);
        Assert.Equal("ESP-Basic-3", net.Hostname);
        Assert.Equal("9.2.0", reports["stat/DS1820-0/STATUS2"]!.Version);
        Assert.Equal(Mac.Parse("98F4ABDA5480"), reports["stat/DS1820-0/STATUS5"]!.Mac);

        // 9.2.0's STATE carries no address; messages we do not read give nothing.
        Assert.Null(reports["tele/Basic-3/STATE"]);
        Assert.Null(reports["stat/Basic-3/STATUS1"]);
    }

    [Theory]
    [InlineData("""{"Status":{"DeviceName":"Hall","FriendlyName":["Hall light"],"Topic":"tasmota_550002"}}""", "Hall", 3)]
    [InlineData("""{"Status":{"DeviceName":"","FriendlyName":["Hall light",null],"Topic":"tasmota_550002"}}""", "Hall light", 2)]
    [InlineData("""{"Status":{"FriendlyName":[null,"Second relay"],"Topic":"tasmota_550002"}}""", "Second relay", 2)]
    [InlineData("""{"Status":{"DeviceName":"  ","FriendlyName":[""],"Topic":"tasmota_550002"}}""", "tasmota_550002", 1)]
    public void Parse_Status_TakesDeviceName_ElseFriendlyName_ElseTheTopic(string payload, string name, int sourceNumber)
    {
        var source = (NameSource)sourceNumber;
        var report = TasmotaMessageParser.Parse("STATUS", Encoding.UTF8.GetBytes(payload), out _);

        Assert.Equal((name, source), (report!.Name, report.NameSource));
    }

    [Fact]
    public void Parse_ReadsTheHttpStatus0OfAn1510Esp32()
    {
        var report = TasmotaMessageParser.Parse("STATUS0", Fixtures.Payload("tasmota/tasmota_status0_http_15.1.0_esp32.json"), out var problem);

        Assert.Null(problem);
        Assert.Equal(Mac.Parse("F024F9BAEBDC"), report!.Mac);
        Assert.Equal("192.168.56.210", report.Ip);
        Assert.Equal("15.1.0", report.Version);
        Assert.Equal("bath-hmd-temp", report.Name);
        Assert.Equal("tasmota-BAEBDC-3036", report.Hostname);
    }

    [Fact]
    public void Parse_ReadsTheStateOf15014_WithItsAddress()
    {
        var report = TasmotaMessageParser.Parse("STATE", Fixtures.Payload("tasmota/tasmota_discovery_config_15.0.1.4.json", "related_tele_STATE"), out _);

        Assert.Equal(("192.168.2.208", "atomlite2"), (report!.Ip, report.Hostname));
    }

    [Fact]
    public void Parse_ReadsInfoMessages_WrappedAndUnwrapped()
    {
        var samples = Fixtures.InfoSamples();
        var info1 = samples.Where(s => s.Suffix == "INFO1").Select(s => TasmotaMessageParser.Parse("INFO1", Encoding.UTF8.GetBytes(s.Payload), out _)!.Version).ToList();
        var info2 = samples.Where(s => s.Suffix == "INFO2").Select(s => TasmotaMessageParser.Parse("INFO2", Encoding.UTF8.GetBytes(s.Payload), out _)!.Ip).ToList();
        var lwt = samples.Where(s => s.Suffix == "LWT").Select(s => TasmotaMessageParser.Parse("LWT", Encoding.UTF8.GetBytes(s.Payload), out _)!.Online).ToList();

        Assert.Equal(["9.5.0", "14.2.0", "15.0.1.5", "4.1.3"], info1);
        Assert.Equal(["192.168.0.138", "192.168.101.192", "192.168.1.3", "192.168.1.84"], info2);
        Assert.Equal([true, true], lwt);
    }

    [Theory]
    [InlineData("Offline", false)]
    [InlineData("online", true)]
    [InlineData(" Online\n", true)]
    public void Parse_ReadsLwt(string payload, bool online) =>
        Assert.Equal(online, TasmotaMessageParser.Parse("LWT", Encoding.UTF8.GetBytes(payload), out _)!.Online);

    [Theory]
    [InlineData("LWT", "maybe", "neither Online nor Offline")]
    [InlineData("STATUS5", "{}", "no network details")]
    [InlineData("STATUS5", """{"StatusNET":[]}""", "no network details")]
    [InlineData("STATUS2", """{"StatusFWR":{"Version":42}}""", "no firmware version")]
    [InlineData("INFO1", """{"Info1":{"Version":["x"]}}""", "no version or module")]
    [InlineData("STATUS5", "\u0000\u0001", "not valid JSON")]
    [InlineData("INFO2", "", "empty")]
    public void Parse_ExplainsWhy_WhenAMessageIsUnusable(string suffix, string payload, string problem)
    {
        var report = TasmotaMessageParser.Parse(suffix, Encoding.UTF8.GetBytes(payload), out var reason);

        Assert.Null(report);
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IgnoresAnEthernetMacOfZeros()
    {
        var report = TasmotaMessageParser.Parse("STATUS5", """{"StatusNET":{"Mac":"00:00:00:00:00:00","IPAddress":"10.0.0.2"}}"""u8.ToArray(), out _);

        Assert.Null(report!.Mac);
        Assert.Equal("10.0.0.2", report.Ip);
    }

    [Fact]
    public void Parse_NeverThrows_OnRandomBytes()
    {
        var random = new Random(5);
        foreach (var suffix in TasmotaMessageParser.Suffixes)
        {
            for (var i = 0; i < 1000; i++)
            {
                var bytes = new byte[random.Next(0, 200)];
                random.NextBytes(bytes);
                _ = TasmotaMessageParser.Parse(suffix, bytes, out _);
            }
        }
    }
}
