using System.Buffers.Binary;
using System.Globalization;
using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Checks a settings dump from Tasmota's <c>/dl</c> the way the firmware itself checks a file before restoring it
/// (settings.ino SettingsConfigRestore; research §4): de-obfuscation, size field, CRC-32 (CRC-16 on firmware up to
/// 6.6.0.10), and the platform byte. A file that passes can be restored; anything else is not saved.
/// </summary>
internal static class TasmotaDump
{
    public const int SettingsSize = 4096;
    public const int FileSystemHeaderSize = 16;

    private const byte XorKey = 0x5A;
    private const uint Version6 = 0x06000000;
    private const uint LastCrc16Version = 0x0606000A;
    private const int PlatformOffset = 0xF36;

    private static readonly string[] Platforms = ["ESP8266", "ESP32", "ESP32-S3", "ESP32-S2", "ESP32-C3", "ESP32-C2", "ESP32-C6", "ESP32-P4", "ESP32-C5"];
    private static readonly byte[] FileSystemMarker = "/.settings"u8.ToArray();

    public static DumpValidation Validate(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty)
        {
            return DumpValidation.Invalid(FailureKind.NotADump, "the device sent an empty answer instead of a settings file");
        }

        if (WebPage.LooksLikeHtml(file))
        {
            return DumpValidation.Invalid(FailureKind.HtmlPage, "the device sent a web page instead of a settings file; its web server may be in user mode (WebServer 1)");
        }

        // Builds with a file system and driver settings prefix a 16-byte plain header: "/.settings", padding, total size.
        var hasHeader = file.Length >= FileSystemHeaderSize && file[..FileSystemMarker.Length].SequenceEqual(FileSystemMarker);
        var start = hasHeader ? FileSystemHeaderSize : 0;
        if (hasHeader)
        {
            var declared = BinaryPrimitives.ReadUInt16LittleEndian(file[14..]);
            if (declared != file.Length)
            {
                return DumpValidation.Invalid(declared > file.Length ? FailureKind.Truncated : FailureKind.NotADump,
                    $"the settings file says it holds {declared} bytes but {file.Length} arrived");
            }

            if (file.Length < FileSystemHeaderSize + SettingsSize)
            {
                return DumpValidation.Invalid(FailureKind.Truncated, $"the settings file is cut short: {file.Length} bytes");
            }
        }
        else if (file.Length < SettingsSize)
        {
            return DumpValidation.Invalid(FailureKind.Truncated, $"only {file.Length} of {SettingsSize} bytes arrived");
        }
        else if (file.Length > SettingsSize)
        {
            return DumpValidation.Invalid(FailureKind.NotADump, $"{file.Length} bytes without a file-system header is not a Tasmota settings file");
        }

        Span<byte> settings = stackalloc byte[SettingsSize];
        Decode(file.Slice(start, SettingsSize), start, settings);

        var size = BinaryPrimitives.ReadUInt16LittleEndian(settings[2..]);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(settings[8..]);
        if (version <= Version6 || version >> 24 > 99)
        {
            return DumpValidation.Invalid(FailureKind.NotADump, $"not a Tasmota settings file (version field 0x{version:X8})");
        }

        if (size != SettingsSize)
        {
            return DumpValidation.Invalid(FailureKind.BadChecksum, $"the settings size field says {size} instead of {SettingsSize}: the file is damaged");
        }

        if (version > LastCrc16Version)
        {
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(settings[(SettingsSize - 4)..]);
            var computed = TasmotaChecksums.Crc32(settings[..(SettingsSize - 4)]);
            if (stored != computed)
            {
                return DumpValidation.Invalid(FailureKind.BadChecksum, $"bad checksum: the file says 0x{stored:X8}, its content gives 0x{computed:X8}");
            }
        }
        else
        {
            // Firmware 6.x summed either the first 3584 bytes or the whole block, depending on the release.
            var stored = BinaryPrimitives.ReadUInt16LittleEndian(settings[14..]);
            if (stored != TasmotaChecksums.Crc16(settings[..3584]) && stored != TasmotaChecksums.Crc16(settings))
            {
                return DumpValidation.Invalid(FailureKind.BadChecksum, "bad checksum (CRC-16 of firmware 6.x)");
            }
        }

        var platformByte = settings[PlatformOffset];
        var platform = platformByte < Platforms.Length ? Platforms[platformByte] : $"unknown ({platformByte})";
        return new DumpValidation(null, FormatVersion(version), platform, hasHeader);
    }

    /// <summary>Tasmota's version word: major, minor, patch, build; "13.0.0", or "15.0.1.3" when the build is not zero.</summary>
    public static string FormatVersion(uint version)
    {
        var major = version >> 24;
        var minor = (version >> 16) & 0xFF;
        var patch = (version >> 8) & 0xFF;
        var build = version & 0xFF;
        return build == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}")
            : string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}.{build}");
    }

    /// <summary>Undoes the XOR with (0x5A + absolute offset) that starts after the two plain cfg_holder bytes.</summary>
    public static void Decode(ReadOnlySpan<byte> block, int absoluteStart, Span<byte> destination)
    {
        block.CopyTo(destination);
        for (var i = 2; i < block.Length; i++)
        {
            destination[i] = (byte)(block[i] ^ ((XorKey + absoluteStart + i) & 0xFF));
        }
    }
}
