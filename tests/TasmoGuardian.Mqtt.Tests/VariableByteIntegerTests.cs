using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt.Tests;

public sealed class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(1, "01")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void Write_GivesSpecBytes_AndReadsBack(int value, string hex)
    {
        var buffer = new byte[4];
        var written = VariableByteInteger.Write(value, buffer);

        Assert.Equal(hex, Convert.ToHexString(buffer, 0, written));
        Assert.Equal(written, VariableByteInteger.SizeOf(value));
        Assert.True(VariableByteInteger.TryRead(buffer.AsSpan(0, written), out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
    }

    [Theory]
    [InlineData(268_435_456)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void SizeOf_Throws_WhenBeyondTheEncodableRange(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.SizeOf(value));

    [Fact]
    public void TryRead_Throws_WhenAFifthByteWouldBeNeeded()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => VariableByteInteger.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x7F], out _, out _));
        Assert.Contains("more than 4 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FFFF")]
    [InlineData("FFFFFF")]
    public void TryRead_AsksForMore_WhenTheEncodingIsIncomplete(string hex) =>
        Assert.False(VariableByteInteger.TryRead(Convert.FromHexString(hex), out _, out _));

    [Fact]
    public void TryRead_IgnoresBytesAfterTheValue()
    {
        Assert.True(VariableByteInteger.TryRead([0x05, 0xAA, 0xBB], out var value, out var consumed));
        Assert.Equal(5, value);
        Assert.Equal(1, consumed);
    }
}
