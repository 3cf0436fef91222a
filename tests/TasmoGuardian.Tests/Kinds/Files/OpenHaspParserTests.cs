using System.Text;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.OpenHasp;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Files;

/// <summary>openHASP's identification over every /api/info/ fixture (releases, languages, Wi-Fi and Ethernet builds), its version rule and its discovery message.</summary>
public sealed class OpenHaspParserTests
{
    // The plate's own MAC, address and chip in every fixture (tests/fixtures/README.md); the access point's BSSID is DC:15:C8:4E:21:07.
    public static TheoryData<string, string> WifiFixtures => new()
    {
        { "openhasp_api_info_0.7.0-rc13_en_US.json", "0.7.0-rc13" },
        { "openhasp_api_info_0.7.0-rc13_fr_FR.json", "0.7.0-rc13" },
        { "openhasp_api_info_0.7.0-rc13_de_DE.json", "0.7.0-rc13" },
        { "openhasp_api_info_0.7.0-rc13_es_ES.json", "0.7.0-rc13" },
        { "openhasp_api_info_0.6.3_en_US.json", "0.6.3" },
        { "openhasp_api_info_0.6.3_fr_FR.json", "0.6.3" },
    };

    [Theory]
    [MemberData(nameof(WifiFixtures))]
    public void Parse_TakesThePlatesOwnMacNotTheAccessPoints_InEveryReleaseAndLanguage(string fixture, string version)
    {
        var plate = OpenHaspKind.Parse(Fixtures.Bytes("openhasp/" + fixture), null);

        Assert.Equal(("240AC412AB9C", version, "192.168.1.42", "ESP32-D0WD-V3"), (plate.Mac.ToString(), plate.Version, plate.Ip, plate.Platform));
    }

    [Fact]
    public void TheTable_CoversEveryApiInfoFixture()
    {
        var tested = WifiFixtures.Select(row => (string)row[0]).Append("openhasp_api_info_0.7.0-rc13_en_US_ethernet.json").Order(StringComparer.Ordinal);

        Assert.Equal(Directory.GetFiles(Path.Combine(Fixtures.Folder, "openhasp"), "openhasp_api_info_*").Select(Path.GetFileName).Order(StringComparer.Ordinal), tested);
    }

    [Fact]
    public void Parse_NamesThePlateAfterItsNode_WhenConfigJsonIsKnown()
    {
        var plate = OpenHaspKind.Parse(Fixtures.Bytes("openhasp/openhasp_api_info_0.7.0-rc13_en_US.json"), Fixtures.Bytes("openhasp/openhasp_config_json_served_0.7.0-rc13.json"));

        Assert.Equal(("plate", "plate"), (plate.Name, plate.Hostname));
    }

    [Fact]
    public void Parse_NeverTakesTheBssidForTheMac_WhenTheWifiBlockHasNoOtherMac()
    {
        var info = """{"openHASP":{"Version":"0.7.0-rc13 042fe05"},"Wifi":{"BSSID":"DC:15:C8:4E:21:07","SSID":"home","IP Address":"192.168.1.42"}}"""u8.ToArray();

        var ex = Assert.Throws<DeviceException>(() => OpenHaspKind.Parse(info, null));

        Assert.Equal(FailureKind.NotADump, ex.Failure.Kind);
        Assert.Contains("has no MAC at \"Wifi\".\"MAC Address\"", ex.Failure.Reason, StringComparison.Ordinal);
        Assert.Contains("\"BSSID\" there is the access point's", ex.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfAnEthernetBuild_SaysWhatIsMissingAndWhereItWasLookedFor()
    {
        var ex = Assert.Throws<DeviceException>(() => OpenHaspKind.Parse(Fixtures.Bytes("openhasp/openhasp_api_info_0.7.0-rc13_en_US_ethernet.json"), null));

        Assert.StartsWith("/api/info/ has no \"Wifi\" block, so no MAC", ex.Failure.Reason, StringComparison.Ordinal);
        Assert.Contains("hasp/discovery/<hwid>", ex.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfAnEthernetBuild_TakesTheMacAddressAndNameFromItsDiscoveryMessage()
    {
        var plate = OpenHaspKind.Parse(Fixtures.Bytes("openhasp/openhasp_api_info_0.7.0-rc13_en_US_ethernet.json"), null, Fixtures.Bytes("openhasp/openhasp_mqtt_discovery_0.7.0-rc13.json"));

        Assert.Equal(("240AC412AB9C", "192.168.1.42", "plate", "0.7.0-rc13", "ESP32-D0WDQ6"), (plate.Mac.ToString(), plate.Ip, plate.Name, plate.Version, plate.Platform));
    }

    [Fact]
    public void Parse_OfAnotherDevicesAnswer_SaysItIsNotOpenHasp() =>
        Assert.Contains("no \"openHASP\" block", Assert.Throws<DeviceException>(() => OpenHaspKind.Parse("""{"Wifi":{"MAC Address":"24:0A:C4:12:AB:9C"}}"""u8.ToArray(), null)).Failure.Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("0.7.0-rc13 042fe05", "0.7.0-rc13")]
    [InlineData("0.6.3 497f611", "0.6.3")]
    [InlineData("0.7.0.1 27c5de0", "0.7.0.1")]
    [InlineData("0.7.0-rc13", "0.7.0-rc13")]
    [InlineData("v0.6.3", "0.6.3")]
    [InlineData("Aug 26 2024 00:32:55 UTC", null)]
    public void Version_IsTheFirstWordOfTheVersionWithoutItsCommit(string value, string? version)
    {
        using var info = JsonDocument.Parse($$$"""{"openHASP":{"Versión":"{{{value}}}","Build DateTime":"Aug 26 2024 00:32:55 UTC"}}""");

        Assert.Equal(version, OpenHaspKind.Version(info.RootElement));
    }

    [Theory]
    [InlineData("0.6.3", true)]
    [InlineData("0.6.4-dev", true)]
    [InlineData("0.5.1", true)]
    [InlineData(null, true)]
    [InlineData("0.7.0-rc13", false)]
    [InlineData("0.7.0.1", false)]
    [InlineData("1.0.0", false)]
    public void KeepsPasswordsInConfig_HoldsForReleasesBefore07(string? version, bool keeps) =>
        Assert.Equal(keeps, OpenHaspKind.KeepsPasswordsInConfig(version));

    [Fact]
    public void Announcements_GiveTheAddress_AndRememberTheHwidForIt()
    {
        var announcements = new OpenHaspAnnouncements();
        var message = new MqttMessage("hasp/discovery/240ac412ab9c", Fixtures.Bytes("openhasp/openhasp_mqtt_discovery_0.7.0-rc13.json"), MqttQualityOfService.AtMostOnce, retain: false);

        Assert.Equal("192.168.1.42", announcements.Read(message));
        Assert.Equal("240AC412AB9C", announcements.Find("192.168.1.42")?.Mac.ToString());
        Assert.Equal("240AC412AB9C", announcements.Find("192.168.1.42:80")?.Mac.ToString());
        Assert.Null(announcements.Find("192.168.1.43"));
        Assert.Null(announcements.Read(new MqttMessage("hasp/discovery/x", Encoding.UTF8.GetBytes("""{"hwid":"240ac412ab9c"}"""), MqttQualityOfService.AtMostOnce, retain: false)));
    }
}
