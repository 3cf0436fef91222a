using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AhoyDtu;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.AhoyDtu;

/// <summary>AhoyDTU's identification over every /api/system answer in tests/fixtures/ahoydtu, flat and nested.</summary>
public sealed class AhoyDtuKindTests
{
    // Flat up to 0.8.133 ("mac", "hostname", "version" at the top); nested from 0.8.134 ("network.mac", "generic.*").
    [Theory]
    [InlineData("0.7.36_esp8266", "483FDA2C119E", "0.7.36", "ESP8266", null)]
    [InlineData("0.8.83_esp8266", "483FDA2C119E", "0.8.83", "ESP8266", null)]
    [InlineData("0.8.155_esp8266", "483FDA2C119E", "0.8.155", "ESP8266", "192.168.1.51")]
    [InlineData("0.8.155_esp32", "240AC4123456", "0.8.155", "ESP32", "192.168.1.50")]
    public void Parse_IdentifiesEveryShape(string firmware, string mac, string version, string platform, string? ip)
    {
        var device = AhoyDtuKind.Parse(Fixtures.Bytes($"ahoydtu/ahoydtu_api_system_{firmware}.json"));

        Assert.Equal((mac, version, "AHOY-DTU", platform), (device.Mac.ToString(), device.Version, device.Name, device.Platform));
        Assert.Equal(("AHOY-DTU", ip, "AhoyDTU"), (device.Hostname, device.Ip, device.Model));
    }

    [Theory]
    [InlineData("ahoydtu/ahoydtu_api_system_0.8.155_esp32.json", "network")]
    [InlineData("ahoydtu/ahoydtu_api_system_0.8.83_esp8266.json", null)]
    public void Parse_NamesWhereItLookedForTheMac_WhenThereIsNone(string fixture, string? nested)
    {
        var system = FirmwareFixtures.Object(fixture);
        (nested is null ? system : system[nested]!.AsObject()).Remove("mac");

        var ex = Assert.Throws<DeviceException>(() => AhoyDtuKind.Parse(Encoding.UTF8.GetBytes(FirmwareFixtures.Write(system))));

        Assert.Equal("/api/system has no MAC at \"mac\" or \"network.mac\"", ex.Failure.Reason);
    }

    [Fact]
    public void Parse_TakesTheRadioSerialForNoMac()
    {
        // "radioNrf.sn" is 8 hex digits from the chip id; it must never stand in for a missing MAC.
        var system = FirmwareFixtures.Object("ahoydtu/ahoydtu_api_system_0.8.155_esp32.json");
        system["network"]!["mac"] = "";

        Assert.Throws<DeviceException>(() => AhoyDtuKind.Parse(Encoding.UTF8.GetBytes(FirmwareFixtures.Write(system))));
    }

    // The fake's export is the firmware's text edit of settings.json, byte for byte (RestApi.h onDwnldSetup).
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp8266")]
    public void TheExport_IsSettingsJsonWithPwdEmptied_AndANoteAfterEachSerial(string chip)
    {
        var settings = Fixtures.Text($"ahoydtu/ahoydtu_settings_json_0.8.155_{chip}.json");

        Assert.Equal(Fixtures.Text($"ahoydtu/ahoydtu_get_setup_0.8.155_{chip}.json"), FakeAhoyDtu.Export(settings, notes: true));
    }

    [Fact]
    public void TheExport_HasTheKeysItAlwaysHas_AndKeepsTheAdminPasswordInClear()
    {
        var export = Fixtures.Bytes("ahoydtu/ahoydtu_get_setup_0.8.155_esp32.json");

        Assert.NotEmpty(PartCheck.JsonObject(export, "settings.json", "wifi", "inst"));
        var wifi = JsonNode.Parse(export)!["wifi"]!;
        Assert.Equal(("", "admin-secret", "esp_8266"), ((string?)wifi["pwd"], (string?)wifi["adm"], (string?)wifi["ap_pwd"]));
        Assert.Contains("admin and access-point passwords stay in it", AhoyDtuKind.PasswordsNote, StringComparison.Ordinal);
        Assert.DoesNotContain("mqtt-secret", Encoding.UTF8.GetString(export), StringComparison.Ordinal);
    }
}
