using System.Text;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

public sealed class TasmotaDiscoveryParserTests
{
    [Theory]
    [InlineData("tasmota/tasmota_discovery_config_9.2.0.json", "84F3EB487D21", "x3", "10.211.10.103", "9.2.0", "Sonoff Basic", "Basic-3", "%prefix%/%topic%/")]
    [InlineData("tasmota/tasmota_discovery_config_15.0.1.4.json", "142B2F9FAF38", "AtomLite2", "192.168.2.208", "15.0.1.4", "M5Stack Atom Lite", "atomlite2", "%prefix%/%topic%/")]
    [InlineData("tasmota/tasmota_discovery_config_ha_test_DEFAULT_CONFIG.json", "00000049A3BC", "Tasmota", "192.168.15.10", "8.4.0.2", "Sonoff Basic", "tasmota_49A3BC", "%topic%/%prefix%/")]
    public void Parse_ReadsRealDiscoveryMessages(string fixture, string mac, string name, string ip, string version, string model, string topic, string fullTopic)
    {
        var topicMac = Fixtures.Topic(fixture).Split('/')[2];

        var result = TasmotaDiscoveryParser.Parse(topicMac, Fixtures.Payload(fixture));

        Assert.Equal(TasmotaDiscoveryKind.Device, result.Kind);
        var o = result.Observation!;
        Assert.Equal(mac, o.Mac.ToString());
        Assert.Equal(DeviceType.Tasmota, o.Type);
        Assert.Equal(name, o.Name);
        Assert.Equal(NameSource.DeviceName, o.NameSource);
        Assert.Equal(ip, o.Ip);
        Assert.Equal(version, o.Version);
        Assert.Equal(model, o.Model);
        Assert.Equal(new TasmotaTopic(topic, fullTopic).Encode(), o.KindData);
    }

    [Fact]
    public void Parse_TakesTheFriendlyName_WhenThereIsNoDeviceName()
    {
        var result = Parse("""{"mac":"A1B2C3D4E5F6","fn":[null,"Lamp"],"t":"lamp1"}""");

        Assert.Equal(("Lamp", NameSource.FriendlyName), (result.Observation!.Name, result.Observation.NameSource));
    }

    [Fact]
    public void Parse_TakesTheTopic_WhenThereIsNoName()
    {
        var result = Parse("""{"mac":"A1B2C3D4E5F6","t":"lamp1","ft":"%prefix%/%topic%/"}""");

        Assert.Equal(("lamp1", NameSource.Topic), (result.Observation!.Name, result.Observation.NameSource));
    }

    [Fact]
    public void Parse_SaysDiscoveryDisabled_ForAnEmptyPayload()
    {
        var result = TasmotaDiscoveryParser.Parse("A1B2C3D4E5F6", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(TasmotaDiscoveryKind.DiscoveryDisabled, result.Kind);
        Assert.Equal("A1B2C3D4E5F6", result.Mac.ToString());
    }

    [Fact]
    public void Parse_RefusesAMacMismatch()
    {
        var result = TasmotaDiscoveryParser.Parse("A1B2C3D4E5F6", Encoding.UTF8.GetBytes("""{"mac":"A1B2C3D4E5F7","dn":"x"}"""));

        Assert.Equal(TasmotaDiscoveryKind.Invalid, result.Kind);
        Assert.Contains("MAC mismatch", result.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostilePayloads => new()
    {
        { "not json at all", "not valid JSON" },
        { "[1,2,3]", "expected a JSON object" },
        { "\"just a string\"", "expected a JSON object" },
        { "{}", "no valid \"mac\"" },
        { """{"mac":12345}""", "no valid \"mac\"" },
        { """{"mac":"../../etc"}""", "no valid \"mac\"" },
        { """{"mac":null}""", "no valid \"mac\"" },
        { new string('[', 100) + new string(']', 100), "not valid JSON" },
        { """{"mac":"A1B2C3D4E5F6",""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(HostilePayloads))]
    public void Parse_ExplainsWhy_WhenThePayloadIsUnusable(string payload, string problem)
    {
        var result = Parse(payload);

        Assert.Equal(TasmotaDiscoveryKind.Invalid, result.Kind);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeepsWhatIsGood_WhenFieldsHaveTheWrongType()
    {
        var result = Parse("""{"mac":"A1B2C3D4E5F6","dn":42,"fn":"not a list","ip":["10.0.0.1"],"sw":{"v":1},"t":true,"ft":7,"tp":"cmnd","md":null,"hn":3.5}""");

        var o = Assert.IsType<DeviceObservation>(result.Observation);
        Assert.Equal("A1B2C3D4E5F6", o.Mac.ToString());
        Assert.Null(o.Name);
        Assert.Null(o.Ip);
        Assert.Null(o.Version);
        Assert.Null(o.KindData);
    }

    [Fact]
    public void Parse_SurvivesMegabyteStrings()
    {
        var huge = new string('x', 1_000_000);
        var result = Parse($$$"""{"mac":"A1B2C3D4E5F6","dn":"{{{huge}}}","sw":"{{{huge}}}","ip":"{{{huge}}}","t":"{{{huge}}}","hn":"{{{huge}}}","md":"{{{huge}}}"}""");

        var o = result.Observation!;
        Assert.Equal(64, o.Name!.Length);
        Assert.Null(o.Version);
        Assert.Null(o.Ip);
        Assert.Null(o.Hostname);
        Assert.Null(o.KindData);
    }

    [Fact]
    public void Parse_RefusesInvalidUtf8_WithoutThrowing()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"mac":"A1B2C3D4E5F6","dn":"X"}""");
        bytes[^3] = 0xC3;

        var result = TasmotaDiscoveryParser.Parse("A1B2C3D4E5F6", bytes);

        Assert.Equal(TasmotaDiscoveryKind.Invalid, result.Kind);
    }

    [Fact]
    public void Parse_RefusesWildcardsInTopics()
    {
        var result = Parse("""{"mac":"A1B2C3D4E5F6","dn":"x","t":"a/#","ft":"%prefix%/%topic%/"}""");

        Assert.Null(result.Observation!.KindData);
    }

    [Fact]
    public void Parse_NeverThrows_OnRandomBytes()
    {
        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            _ = TasmotaDiscoveryParser.Parse("A1B2C3D4E5F6", bytes);
        }
    }

    private static TasmotaDiscoveryResult Parse(string payload) => TasmotaDiscoveryParser.Parse("A1B2C3D4E5F6", Encoding.UTF8.GetBytes(payload));
}
