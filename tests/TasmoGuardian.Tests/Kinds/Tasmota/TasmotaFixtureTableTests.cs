using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

/// <summary>
/// Table tests over every Tasmota fixture (tests/fixtures/tasmota, provenance in tests/fixtures/README.md): the
/// identification of each shape, the version rule, the upload answer pages in each release and language, the file
/// system pages; rows are the fixture files themselves, so a new fixture is read by these tests at once.
/// </summary>
public sealed class TasmotaFixtureTableTests
{
    // Every fixture that carries a firmware version, where, and the contract's form of it.
    public static TheoryData<string, string, string> Versions => new()
    {
        { "tasmota_status0_http_9.2.0_esp8266.json", "StatusFWR.Version", "9.2.0" },
        { "tasmota_status0_http_13.0.0_esp8266.json", "StatusFWR.Version", "13.0.0" },
        { "tasmota_status0_http_14.4.1_esp32.json", "StatusFWR.Version", "14.4.1" },
        { "tasmota_status0_http_15.1.0_esp32.json", "StatusFWR.Version", "15.1.0" },
        { "tasmota_stat_status_all_9.2.0_esp8266.json", "STATUS2", "9.2.0" },
        { "tasmota_stat_status_2_5_13.0.0_esp8266.json", "STATUS2", "13.0.0" },
        { "tasmota_stat_status_2_5_14.4.1_esp32.json", "STATUS2", "14.4.1" },
        { "tasmota_tele_info123_9.2.0_esp8266.json", "INFO1", "9.2.0" },
        { "tasmota_tele_info123_13.0.0_esp8266.json", "INFO1", "13.0.0" },
        { "tasmota_discovery_config_9.2.0.json", "sw", "9.2.0" },
        { "tasmota_discovery_config_15.0.1.4.json", "sw", "15.0.1.4" },
        { "tasmota_discovery_config_ha_test_DEFAULT_CONFIG.json", "sw", "8.4.0.2" },
    };

    // Status 0 of every shape: the device's own MAC (never the access point's BSSId, the gateway or the Ethernet port's
    // zeros), its address, name, host name and version.
    public static TheoryData<string, string, string, string, string, string> Status0 => new()
    {
        { "tasmota_status0_http_9.2.0_esp8266.json", "84F3EB487D21", "10.211.10.103", "x3", "ESP-Basic-3", "9.2.0" },
        { "tasmota_status0_http_13.0.0_esp8266.json", "C8C9A38388A5", "192.168.178.82", "Tasmota", "tasmota-8388A5-2213", "13.0.0" },
        { "tasmota_status0_http_14.4.1_esp32.json", "A0B76554C070", "192.168.178.174", "NSPanel 4 Test", "ns-panel4-0112", "14.4.1" },
        { "tasmota_status0_http_15.1.0_esp32.json", "F024F9BAEBDC", "192.168.56.210", "bath-hmd-temp", "tasmota-BAEBDC-3036", "15.1.0" },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Version_IsTheReleaseWithoutItsBuild_InEveryFixture(string file, string where, string expected)
    {
        var version = where switch
        {
            "StatusFWR.Version" => TasmotaMessageParser.Parse("STATUS0", Encoding.UTF8.GetBytes(TasmotaFixtures.Json(file).ToJsonString()), out _)!.Version,
            "sw" => TasmotaDiscoveryParser.Parse(TasmotaFixtures.Json(file)["mac"]!.GetValue<string>(), Encoding.UTF8.GetBytes(TasmotaFixtures.Json(file).ToJsonString())).Observation!.Version,
            _ => TasmotaMessageParser.Parse(where, Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, where)), out _)!.Version,
        };

        Assert.Equal(expected, version);
    }

    [Theory]

    // The build names real devices report (research FACTS §2): official builds since 14.0.0 put "release-" in front.
    [InlineData("9.2.0(tasmota)", "9.2.0")]
    [InlineData("9.2.0(sensors)", "9.2.0")]
    [InlineData("11.0.0.1(theo)", "11.0.0.1")]
    [InlineData("12.5.0(tasmota)", "12.5.0")]
    [InlineData("13.1.0(tasmota)", "13.1.0")]
    [InlineData("13.3.0(tasmota32)", "13.3.0")]
    [InlineData("14.2.0(release-tasmota)", "14.2.0")]
    [InlineData("14.4.1(release-nspanel)", "14.4.1")]
    [InlineData("15.0.1.5(bluetooth)", "15.0.1.5")]
    [InlineData("15.1.0(release-tasmota32)", "15.1.0")]
    [InlineData("15.1.0(a1b2c3d-tasmota32)", "15.1.0")]
    [InlineData("14.3.0(release-tasmota32solo1)single-core", "14.3.0")]
    [InlineData("4.1.3", "4.1.3")]
    public void Version_DropsTheBuild_AndTheCommitOrReleaseTag(string reported, string expected)
    {
        var payload = new JsonObject { ["StatusFWR"] = new JsonObject { ["Version"] = reported } }.ToJsonString();

        Assert.Equal(expected, TasmotaMessageParser.Parse("STATUS2", Encoding.UTF8.GetBytes(payload), out _)!.Version);
    }

    [Theory]
    [MemberData(nameof(Status0))]
    public void Status0_OfEveryShape_NamesTheDevicesOwnMac(string file, string mac, string ip, string name, string hostname, string version)
    {
        var report = TasmotaMessageParser.Parse("STATUS0", Encoding.UTF8.GetBytes(TasmotaFixtures.Json(file).ToJsonString()), out var problem);

        Assert.Null(problem);
        Assert.Equal((Mac.Parse(mac), ip, name, hostname, version), (report!.Mac!.Value, report.Ip, report.Name, report.Hostname, report.Version));
    }

    [Theory]
    [InlineData("tasmota_stat_status_all_9.2.0_esp8266.json", "84F3EB487D21", "10.211.10.103", "x3", "9.2.0")]
    [InlineData("tasmota_stat_status_2_5_13.0.0_esp8266.json", "C8C9A38388A5", "192.168.178.82", "Tasmota", "13.0.0")]
    [InlineData("tasmota_stat_status_2_5_14.4.1_esp32.json", "A0B76554C070", "192.168.178.174", "NSPanel 4 Test", "14.4.1")]
    public void StatusReplies_OverMqtt_IdentifyEachShape(string file, string mac, string ip, string name, string version)
    {
        TasmotaReport Read(string suffix) => TasmotaMessageParser.Parse(suffix, Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, suffix)), out _)!;

        Assert.Equal((Mac.Parse(mac), ip), (Read("STATUS5").Mac!.Value, Read("STATUS5").Ip));
        Assert.Equal(version, Read("STATUS2").Version);
        Assert.Equal(name, Read("STATUS").Name);
    }

    [Theory]
    [InlineData("tasmota_tele_info123_9.2.0_esp8266.json", "9.2.0", "Sonoff Basic", "10.211.10.103", "ESP-Basic-3")]
    [InlineData("tasmota_tele_info123_13.0.0_esp8266.json", "13.0.0", "Sonoff Basic", "192.168.178.82", "tasmota-8388A5-2213")]
    public void Info_IsReadBare_UpTo9Point3_AndWrapped_Since9Point4(string file, string version, string module, string ip, string hostname)
    {
        var info1 = TasmotaMessageParser.Parse("INFO1", Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, "INFO1")), out _)!;
        var info2 = TasmotaMessageParser.Parse("INFO2", Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, "INFO2")), out _)!;

        Assert.Equal((version, module), (info1.Version, info1.Model));
        Assert.Equal((ip, hostname), (info2.Ip, info2.Hostname));
    }

    [Fact]
    public void EthernetOnly_TakesTheEthernetAddress_NeverZeros_AndTheWifiMacAsTheId()
    {
        const string file = "tasmota_ethernet_only_status5_info2_15.1.0_esp32.json";

        var status5 = TasmotaMessageParser.Parse("STATUS5", Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, "STATUS5")), out _)!;
        var info2 = TasmotaMessageParser.Parse("INFO2", Encoding.UTF8.GetBytes(TasmotaFixtures.Message(file, "INFO2")), out var problem);

        Assert.Equal((Mac.Parse("C8F09E3D2B94"), "192.168.1.50", "tasmota-3D2B94-2964"), (status5.Mac!.Value, status5.Ip, status5.Hostname));
        Assert.Null(problem);
        Assert.Equal("192.168.1.50", info2!.Ip);
    }

    [Fact]
    public void OldFirmwareWithEthernetUp_DoesNotTakeTheEthernetPortsMac_ForTheDevices()
    {
        // 9.x/10.x: StatusNET is the active interface's (NetworkHostname "…_eth", NetworkMacAddress = the Ethernet MAC).
        var status5 = JsonNode.Parse(TasmotaFixtures.Message("tasmota_stat_status_all_9.2.0_esp8266.json", "STATUS5"))!;
        status5["StatusNET"]!["Hostname"] = "ESP-Basic-3_eth";
        status5["StatusNET"]!["Mac"] = "84:F3:EB:48:7D:24";

        var report = TasmotaMessageParser.Parse("STATUS5", Encoding.UTF8.GetBytes(status5.ToJsonString()), out _)!;

        Assert.Null(report.Mac);
        Assert.Equal(("10.211.10.103", "ESP-Basic-3"), (report.Ip, report.Hostname));
    }

    // Every answer page to an upload, in every release and language of the fixtures: the name says what it is.
    public static TheoryData<string> UploadPages => new(TasmotaFixtures.Names().Where(n => (n.StartsWith("tasmota_u2_", StringComparison.Ordinal) || n.StartsWith("tasmota_ufsu_", StringComparison.Ordinal)) && n.EndsWith(".html", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(UploadPages))]
    public void UploadAnswer_ReadsEveryPage_AsTheFirmwareWritesIt(string file)
    {
        var what = file.Split('_')[2];
        var expected = what == "success" ? (TasmotaUploadAnswer.Verdict.Accepted, 0) : (TasmotaUploadAnswer.Verdict.Rejected, int.Parse(what["failed".Length..], System.Globalization.CultureInfo.InvariantCulture));

        var (verdict, code, _) = TasmotaUploadAnswer.Read(TasmotaFixtures.Bytes(file));

        Assert.Equal(expected, (verdict, code));
    }

    [Theory]

    // Texts of releases the fixtures do not hold, each put into a 15.1.0 page as HandleUploadDone writes it (de_DE.h
    // 13.3 to 14.3 and 14.4 on use U+2024 ONE DOT LEADER; en_GB.h up to 9.1 had the older error 3).
    [InlineData("en", "Magic byte is not 0xE9", 3)]
    [InlineData("en", "Program flash size is larger than real flash size", 4)]
    [InlineData("en", "Upload failed. Enable logging 3", 6)]
    [InlineData("en", "Upload error code 12", 12)]
    [InlineData("de", "Datei überschreitet vorhdn. Flashspeicher", 4)]
    [InlineData("de", "Datei überschreitet vorhdn\u2024 Flashspeicher", 4)]
    [InlineData("de", "Upload fehlgeschlagen. Aktiviere logging 3", 6)]
    [InlineData("de", "Upload fehlgeschlagen\u2024 Aktiviere logging 3", 6)]
    [InlineData("de", "Upload fehlgeschlagen\u2024 Details mit Logging 3", 6)]
    [InlineData("de", "Upload Fehler Nummer 10", 10)]
    [InlineData("de", "Upload Fehlernummer 203", 203)]
    public void UploadAnswer_KnowsTheTextsOfEveryRelease(string language, string text, int code)
    {
        var page = TasmotaFixtures.Text($"tasmota_u2_failed8_15.1.0_esp32_{language}.html").Replace(language == "de" ? "Datei ungültig" : "File invalid", text, StringComparison.Ordinal);

        var (verdict, read, _) = TasmotaUploadAnswer.Read(Encoding.UTF8.GetBytes(page));

        Assert.Equal((TasmotaUploadAnswer.Verdict.Rejected, code), (verdict, read));
    }

    [Theory]
    [InlineData("tasmota_ufsd_root_15.1.0_esp32_en.html")]
    [InlineData("tasmota_ufsd_root_15.1.0_esp32_de.html")]
    public void FileListing_ReadsTheRootPageOf13Point4AndLater(string file)
    {
        var entries = TasmotaFileListing.Read(TasmotaFixtures.Bytes(file));

        Assert.Equal(
            [new("/_matter_device.json", false, 412), new("/.drvset003", false, 36), new("/autoexec.be", false, 1187), new TasmotaFileListing.Entry("/lib", true, 0)],
            entries);
    }

    [Fact]
    public void FileListing_ReadsAFolderPage_WithItsEscapedFolder()
    {
        var entries = TasmotaFileListing.Read(TasmotaFixtures.Bytes("tasmota_ufsd_folder_lib_15.1.0_esp32_en.html"));

        Assert.Equal([new TasmotaFileListing.Entry("/lib/my driver.be", false, 2048)], entries);
    }

    [Theory]
    [InlineData("tasmota_rs_page_15.1.0_esp32_en.html")]
    [InlineData("tasmota_u2_success_15.1.0_esp32_en.html")]
    [InlineData("tasmota_notfound_ufsd_body_13.0.0_esp8266_en.txt")]
    public void FileListing_IsNull_ForEveryOtherPage(string file) => Assert.Null(TasmotaFileListing.Read(TasmotaFixtures.Bytes(file)));

    [Fact]
    public void Fake_WritesTheFixturesBytes_WithTheFixturesOwnValues()
    {
        // The 13.0.0 device of the fixtures, rebuilt by the fake from its MAC, name and address: byte for byte the same.
        using var device = new FakeHolder(FakeTasmota.Start("Tasmota", port: 0, version: "13.0.0", mac: "C8C9A38388A5"));
        device.Fake.ReportedAddress = "192.168.178.82";
        const string file = "tasmota_stat_status_2_5_13.0.0_esp8266.json";

        Assert.Equal(TasmotaFixtures.Message(file, "STATUS5"), device.Fake.Status5Payload());
        Assert.Equal(TasmotaFixtures.Message(file, "STATUS2"), device.Fake.Status2Payload());
        Assert.Equal(TasmotaFixtures.Message(file, "STATUS"), device.Fake.StatusPayload());
        Assert.Equal(TasmotaFixtures.Message("tasmota_tele_info123_13.0.0_esp8266.json", "INFO1"), device.Fake.Info1Payload());
        Assert.Equal(TasmotaFixtures.Message("tasmota_tele_info123_13.0.0_esp8266.json", "INFO2"), device.Fake.Info2Payload());
    }

    private sealed class FakeHolder(FakeTasmota fake) : IDisposable
    {
        public FakeTasmota Fake { get; } = fake;

        public void Dispose() => Fake.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
