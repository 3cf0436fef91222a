using System.Text;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.OpenDtu;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.OpenDtu;

/// <summary>OpenDTU's identification over every status and network answer in tests/fixtures/opendtu, and its version rule.</summary>
public sealed class OpenDtuKindTests
{
    // The same chip (efuse MAC 08:3A:F2:07:F6:14) in both network modes: one id, never "sta_bssid" or "ap_mac".
    [Theory]
    [InlineData("v24.10.15", "wifi", "24.10.15", "192.168.110.90")]
    [InlineData("v24.10.15", "ethernet", "24.10.15", "192.168.110.91")]
    [InlineData("v26.3.30", "wifi", "26.3.30", "192.168.110.90")]
    [InlineData("v26.3.30", "ethernet", "26.3.30", "192.168.110.91")]
    public void Parse_IdentifiesEveryShape_ByTheChipsWifiMac(string release, string mode, string version, string ip)
    {
        var device = OpenDtuKind.Parse(
            Fixtures.Bytes($"opendtu/opendtu_api_system_status_{release}_esp32.json"),
            Fixtures.Bytes($"opendtu/opendtu_api_network_status_v26.3.30_{mode}.json"));

        Assert.Equal(("083AF207F614", "OpenDTU-07F614", version), (device.Mac.ToString(), device.Name, device.Version));
        Assert.Equal(("OpenDTU generic_esp32", "ESP32-D0WD-V3", ip, "OpenDTU-07F614"), (device.Model, device.Platform, device.Ip, device.Hostname));
    }

    // network_mac, ap_ssid → the id.
    [Theory]
    [InlineData("08:3A:F2:07:F6:14", "OpenDTU-521748", "083AF207F614")] // Wi-Fi: the efuse MAC itself
    [InlineData("08:3A:F2:07:F6:17", "OpenDTU-521748", "083AF207F614")] // Ethernet, four universal MACs: last byte + 3
    [InlineData("0A:3A:F2:07:F6:15", "OpenDTU-521748", "083AF207F614")] // Ethernet, two universal MACs: local bit, last byte + 1
    [InlineData("24:0A:C4:12:34:01", "OpenDTU-1193214", "240AC41234FE")] // + 3 wraps within the last byte
    [InlineData("08:3A:F2:07:F6:17", "OpenDTU-AP", "083AF207F617")] // an AP name without the chip id: taken as it is
    [InlineData("08:3A:F2:99:F6:17", "OpenDTU-521748", "083AF299F617")] // a MAC that is not from this chip: taken as it is
    [InlineData("08:3A:F2:07:F6:17", null, "083AF207F617")]
    public void StableMac_IsTheEfuseMac_WhatEverInterfaceIsActive(string networkMac, string? apSsid, string id)
    {
        var network = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?> { ["network_mac"] = networkMac, ["ap_ssid"] = apSsid });
        using var document = JsonDocument.Parse(network);

        Assert.Equal(id, OpenDtuKind.StableMac(document.RootElement)?.ToString());
    }

    [Theory]
    [InlineData("""{"network_ip":"10.0.0.2","sta_bssid":"7A:45:58:94:4B:CA"}""")]
    [InlineData("""{"network_mac":"","ap_mac":"08:3A:F2:07:F6:15","sta_bssid":"7A:45:58:94:4B:CA"}""")]
    public void Parse_NamesWhereItLookedForTheMac_AndTakesNoOther(string network)
    {
        var ex = Assert.Throws<DeviceException>(() => OpenDtuKind.Parse(Fixtures.Bytes("opendtu/opendtu_api_system_status_v26.3.30_esp32.json"), Encoding.UTF8.GetBytes(network)));

        Assert.Equal("/api/network/status has no MAC at \"network_mac\"", ex.Failure.Reason);
    }

    // git describe of the build → the contract's form: no "v", no commits-since-tag and hash, no version from a bare hash.
    [Theory]
    [InlineData("v24.10.15", "24.10.15")]
    [InlineData("v26.3.30", "26.3.30")]
    [InlineData("v26.3.30-5-gabcdef0", "26.3.30")]
    [InlineData("v24.11.7-rc1", "24.11.7-rc1")]
    [InlineData("v24.11.7-rc1-12-g1a2b3c4d", "24.11.7-rc1")]
    [InlineData("24.2.12", "24.2.12")]
    [InlineData("g0000000", null)]
    [InlineData("1a2b3c4", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TagVersion_IsTheReleaseTagWithoutItsV_OrNone(string? gitHash, string? version) =>
        Assert.Equal(version, OpenDtuApi.TagVersion(gitHash));
}
