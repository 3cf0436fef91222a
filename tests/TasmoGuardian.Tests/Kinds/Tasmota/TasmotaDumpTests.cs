using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

public sealed class TasmotaDumpTests
{
    [Theory]
    [InlineData("tasmota/Config_pir1_1255_13.0.0.dmp", "13.0.0")]
    [InlineData("tasmota/Config_Elias_Rolladen_9.1.0.dmp", "9.1.0")]
    public void Validate_AcceptsRealDumps(string fixture, string version)
    {
        var result = TasmotaDump.Validate(Fixtures.Bytes(fixture));

        Assert.True(result.IsValid, result.Failure?.Reason);
        Assert.Equal(version, result.Version);
        Assert.Equal("ESP8266", result.Platform);
        Assert.False(result.HasFileSystemHeader);
    }

    [Fact]
    public void Crc32_IsTasmotasNotZlibs()
    {
        var settings = new byte[4096];
        TasmotaDump.Decode(Fixtures.Bytes("tasmota/Config_pir1_1255_13.0.0.dmp"), 0, settings);

        Assert.Equal(0xC7700EA6u, TasmotaChecksums.Crc32(settings.AsSpan(0, 4092)));
        Assert.NotEqual(0x58B4F5D0u, TasmotaChecksums.Crc32(settings.AsSpan(0, 4092)));
    }

    [Theory]
    [InlineData(0x0D010000u, 0, "13.1.0", "ESP8266")]
    [InlineData(0x0F000103u, 1, "15.0.1.3", "ESP32")]
    [InlineData(0x0E020000u, 2, "14.2.0", "ESP32-S3")]
    [InlineData(0x0F010000u, 8, "15.1.0", "ESP32-C5")]
    [InlineData(0x0F010000u, 12, "15.1.0", "unknown (12)")]
    [InlineData(0x06060008u, 0, "6.6.0.8", "ESP8266")]
    public void Validate_AcceptsSyntheticDumps_OfEveryPlatform(uint version, byte platform, string text, string platformName)
    {
        var result = TasmotaDump.Validate(TasmotaDumpBuilder.Build(version, platform));

        Assert.True(result.IsValid, result.Failure?.Reason);
        Assert.Equal((text, platformName), (result.Version, result.Platform));
    }

    [Fact]
    public void Validate_AcceptsTheFileSystemVariant_WithItsHeader()
    {
        var driverFiles = new byte[48];
        "/.drvset003"u8.CopyTo(driverFiles);
        var result = TasmotaDump.Validate(TasmotaDumpBuilder.Build(0x0F010000, 1, fileSystemFiles: driverFiles));

        Assert.True(result.IsValid, result.Failure?.Reason);
        Assert.True(result.HasFileSystemHeader);
        Assert.Equal("ESP32", result.Platform);
    }

    [Fact]
    public void Validate_RefusesEveryOneBitFlip_OfTheSettings()
    {
        var dump = TasmotaDumpBuilder.Build(0x0D010000);
        var accepted = new List<int>();

        // Bytes 0-1 (cfg_holder) are outside the checked data's meaning only as far as Tasmota is concerned: the CRC covers them.
        for (var offset = 0; offset < dump.Length; offset++)
        {
            for (var bit = 0; bit < 8; bit += 3)
            {
                if (TasmotaDump.Validate(TasmotaDumpBuilder.FlipBit(dump, offset, bit)).IsValid)
                {
                    accepted.Add(offset);
                }
            }
        }

        Assert.Empty(accepted);
    }

    public static TheoryData<string, byte[], string> Corruptions()
    {
        var good = TasmotaDumpBuilder.Build();
        var withHeader = TasmotaDumpBuilder.Build(fileSystemFiles: new byte[32]);
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], nameof(FailureKind.NotADump) },
            { "4096 zero bytes", new byte[4096], nameof(FailureKind.NotADump) },
            { "half a dump", good[..2048], nameof(FailureKind.Truncated) },
            { "one byte short", good[..4095], nameof(FailureKind.Truncated) },
            { "one byte too many", [.. good, 0], nameof(FailureKind.NotADump) },
            { "one bit flipped", TasmotaDumpBuilder.FlipBit(good, 2000, 5), nameof(FailureKind.BadChecksum) },
            { "stored checksum flipped", TasmotaDumpBuilder.FlipBit(good, 4094, 1), nameof(FailureKind.BadChecksum) },
            { "size field changed", TasmotaDumpBuilder.FlipBit(good, 3, 0), nameof(FailureKind.BadChecksum) },
            { "html main page", "<!DOCTYPE html><html><head><title>Tasmota</title></head><body></body></html>"u8.ToArray(), nameof(FailureKind.HtmlPage) },
            { "html padded to 4096", [.. "\n  <html><body>login</body></html>"u8.ToArray(), .. new byte[4062]], nameof(FailureKind.HtmlPage) },
            { "json error", """{"WARNING":"Need user=<username>&password=<password>"}"""u8.ToArray(), nameof(FailureKind.Truncated) },
            { "header, cut short", withHeader[..(withHeader.Length - 10)], nameof(FailureKind.Truncated) },
            { "header, bit flipped", TasmotaDumpBuilder.FlipBit(withHeader, 3000), nameof(FailureKind.BadChecksum) },
            { "random bytes", RandomBytes(), nameof(FailureKind.NotADump) },
        };
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Validate_RefusesCorruption_WithANamedReason(string what, byte[] file, string kind)
    {
        var result = TasmotaDump.Validate(file);

        Assert.False(result.IsValid, what);
        Assert.Equal(kind, result.Failure!.Kind.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.Failure.Reason));
    }

    private static byte[] RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        bytes[0] = 0x09;
        return bytes;
    }
}
