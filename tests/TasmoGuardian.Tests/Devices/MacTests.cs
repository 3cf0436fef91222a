using TasmoGuardian.Devices;

namespace TasmoGuardian.Tests.Devices;

public sealed class MacTests
{
    [Theory]
    [InlineData("A1B2C3D4E5F6")]
    [InlineData("a1b2c3d4e5f6")]
    [InlineData("A1:B2:C3:D4:E5:F6")]
    [InlineData("a1-b2-c3-d4-e5-f6")]
    [InlineData("a1b2.c3d4.e5f6")]
    [InlineData("  A1:b2:C3:d4:E5:f6 ")]
    public void TryParse_AcceptsEveryCommonForm(string text)
    {
        Assert.True(Mac.TryParse(text, out var mac));
        Assert.Equal("A1B2C3D4E5F6", mac.ToString());
        Assert.Equal("a1b2c3d4e5f6", mac.ToLowerString());
        Assert.Equal("a1:b2:c3:d4:e5:f6", mac.ToColonString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A1B2C3D4E5")]
    [InlineData("A1B2C3D4E5F6A7")]
    [InlineData("G1B2C3D4E5F6")]
    [InlineData("A1:B2-C3:D4:E5:F6")]
    [InlineData("1:2:3:4:5:6")]
    [InlineData("000000000000")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("FF:FF:FF:FF:FF:FF")]
    [InlineData("../../etc/pw")]
    [InlineData("+A1B2C3D4E5F")]
    public void TryParse_Refuses_WhenItIsNotADeviceMac(string? text) =>
        Assert.False(Mac.TryParse(text, out _));

    [Fact]
    public void Equality_DoesNotDependOnTheFormParsed() =>
        Assert.Equal(Mac.Parse("a1:b2:c3:d4:e5:f6"), Mac.Parse("A1B2C3D4E5F6"));
}
