using System.Buffers.Binary;

namespace TasmoGuardian.Testing;

/// <summary>
/// Builds Tasmota settings dumps as the firmware writes them (settings.ino SettingsConfigBackup), written from the
/// research notes independently of the program's validator so that each checks the other.
/// </summary>
public static class TasmotaDumpBuilder
{
    public const int Size = 4096;

    /// <param name="version">Tasmota's version word, e.g. 0x0F000103 for 15.0.1.3.</param>
    /// <param name="platform">0 ESP8266, 1 ESP32, 2 ESP32-S3 …</param>
    /// <param name="fileSystemFiles">Extra driver-file bytes: makes the variant with the 16-byte "/.settings" header.</param>
    public static byte[] Build(uint version = 0x0D010000, byte platform = 0, int seed = 1, byte[]? fileSystemFiles = null)
    {
        var settings = new byte[Size];
        new Random(seed).NextBytes(settings.AsSpan(16, 3000));
        BinaryPrimitives.WriteUInt16LittleEndian(settings, 0x1209);
        BinaryPrimitives.WriteUInt16LittleEndian(settings.AsSpan(2), Size);
        BinaryPrimitives.WriteUInt32LittleEndian(settings.AsSpan(4), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(settings.AsSpan(8), version);
        BinaryPrimitives.WriteUInt16LittleEndian(settings.AsSpan(12), 7);
        settings[0xF36] = platform;
        BinaryPrimitives.WriteUInt32LittleEndian(settings.AsSpan(0xFF8), 1_700_000_000);
        if (version > 0x0606000A)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(settings.AsSpan(Size - 4), Crc32(settings.AsSpan(0, Size - 4)));
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(settings.AsSpan(14), Crc16(settings.AsSpan(0, 3584)));
        }

        if (fileSystemFiles is null)
        {
            Obfuscate(settings, 0);
            return settings;
        }

        var file = new byte[16 + Size + fileSystemFiles.Length];
        "/.settings"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14), (ushort)file.Length);
        settings.CopyTo(file, 16);
        fileSystemFiles.CopyTo(file, 16 + Size);
        Obfuscate(file.AsSpan(16, Size), 16);
        return file;
    }

    public static byte[] FlipBit(byte[] dump, int offset, int bit = 0)
    {
        var copy = (byte[])dump.Clone();
        copy[offset] ^= (byte)(1 << bit);
        return copy;
    }

    /// <summary>Tasmota's CRC-32: reflected 0xEDB88320, initial value 0, result inverted (not zlib's).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0u;
        foreach (var value in data)
        {
            crc ^= value;
            for (var j = 0; j < 8; j++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var sum = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (i != 14 && i != 15)
            {
                sum += data[i] * (i + 1);
            }
        }

        return (ushort)sum;
    }

    private static void Obfuscate(Span<byte> block, int absoluteStart)
    {
        for (var i = 2; i < block.Length; i++)
        {
            block[i] ^= (byte)((0x5A + absoluteStart + i) & 0xFF);
        }
    }
}
