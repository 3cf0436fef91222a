using TasmoGuardian.Devices;

namespace TasmoGuardian.Tests.Devices;

public sealed class DeviceTextTests
{
    [Theory]
    [InlineData("13.1.0(tasmota)", "13.1.0")]
    [InlineData("15.0.1.5(bluetooth)", "15.0.1.5")]
    [InlineData("15.1.0(release-tasmota32)", "15.1.0")]
    [InlineData("9.2.0", "9.2.0")]
    [InlineData(" 8.4.0.2 ", "8.4.0.2")]
    [InlineData("0.15.0-b3", "0.15.0-b3")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("(tasmota)", null)]
    [InlineData("../../x", null)]
    [InlineData("13.1.0; rm -rf /", null)]
    [InlineData("<script>", null)]
    public void CleanVersion_StripsTheBuildSuffix_AndRefusesNonsense(string? raw, string? expected) =>
        Assert.Equal(expected, DeviceText.CleanVersion(raw));

    [Fact]
    public void CleanVersion_RefusesAMegabyteOfText() =>
        Assert.Null(DeviceText.CleanVersion(new string('1', 1_000_000)));

    [Theory]
    [InlineData("Kitchen plug", "Kitchen plug")]
    [InlineData("  Küche  ", "Küche")]
    [InlineData("a\u0000b\nc\u001b[31m", "abc[31m")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("\u0001\u0002", null)]
    public void CleanName_DropsControlCharacters(string raw, string? expected) =>
        Assert.Equal(expected, DeviceText.CleanName(raw));

    [Fact]
    public void CleanName_CutsAMegabyteNameTo64Characters()
    {
        var name = DeviceText.CleanName(new string('x', 1_000_000));

        Assert.Equal(DeviceText.MaxNameLength, name!.Length);
    }

    [Fact]
    public void CleanName_NeverSplitsASurrogatePair()
    {
        var name = DeviceText.CleanName(new string('a', 63) + "😀😀");

        Assert.Equal(new string('a', 63), name);
    }

    [Theory]
    [InlineData("192.168.1.3", "192.168.1.3")]
    [InlineData("fe80::1", "fe80::1")]
    [InlineData("0.0.0.0", null)]
    [InlineData("999.1.1.1", null)]
    [InlineData("kitchen.local", null)]
    [InlineData("", null)]
    public void CleanIp_AcceptsAddressesOnly(string raw, string? expected) =>
        Assert.Equal(expected, DeviceText.CleanIp(raw));
}
