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
    /// <param name="fileSystemFiles">Raw bytes after the settings: makes the variant with the 16-byte "/.settings" header.</param>
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
        return Encode(settings, fileSystemFiles);
    }

    /// <summary>The file-system variant with driver files (/.drvsetNNN), each with its CRC-32 in its first 4 bytes, as SettingsConfigBackup writes them.</summary>
    public static byte[] BuildWithDrivers(uint version, byte platform, int seed, params (int Index, int Size)[] drivers) =>
        Encode(Settings(Build(version, platform, seed)), DriverSection(seed, drivers));

    /// <summary>The plain bytes after the settings block: per driver a 16-byte header and its data, padded to 16 bytes.</summary>
    public static byte[] DriverSection(int seed, params (int Index, int Size)[] drivers)
    {
        var section = new List<byte>();
        var random = new Random(seed + 1000);
        foreach (var (index, size) in drivers)
        {
            var header = new byte[16];
            System.Text.Encoding.ASCII.GetBytes($"/.drvset{index:D3}").CopyTo(header, 0);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)size);
            var data = new byte[((size / 16) * 16) + 16];
            random.NextBytes(data.AsSpan(4, size - 4));
            BinaryPrimitives.WriteUInt32LittleEndian(data, Crc32(data.AsSpan(4, size - 4)));
            section.AddRange(header);
            section.AddRange(data);
        }

        return [.. section];
    }

    /// <summary>
    /// A dump of <paramref name="settings"/> (decoded), with its CRC recomputed: plain, or framed with
    /// <paramref name="driverSection"/> after it (then everything from byte 18 on is XORed, as the firmware does).
    /// </summary>
    public static byte[] Encode(byte[] settings, byte[]? driverSection)
    {
        var block = (byte[])settings.Clone();
        var version = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(8));
        if (version > 0x0606000A)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(Size - 4), Crc32(block.AsSpan(0, Size - 4)));
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(14), Crc16(block.AsSpan(0, 3584)));
        }

        if (driverSection is null)
        {
            Obfuscate(block, 0);
            return block;
        }

        var file = new byte[16 + Size + driverSection.Length];
        "/.settings"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14), (ushort)file.Length);
        block.CopyTo(file, 16);
        driverSection.CopyTo(file, 16 + Size);
        for (var i = 18; i < file.Length; i++)
        {
            file[i] ^= (byte)((0x5A + i) & 0xFF);
        }

        return file;
    }

    /// <summary>The decoded settings block of a dump.</summary>
    public static byte[] Settings(byte[] dump)
    {
        var framed = dump.Length > Size;
        var start = framed ? 16 : 0;
        var block = dump.AsSpan(start, Size).ToArray();
        for (var i = 2; i < Size; i++)
        {
            block[i] ^= (byte)((0x5A + start + i) & 0xFF);
        }

        return block;
    }

    /// <summary>The decoded bytes after the settings block of a framed dump; null for a plain one.</summary>
    public static byte[]? DriverBytes(byte[] dump)
    {
        if (dump.Length <= Size)
        {
            return null;
        }

        var rest = dump.AsSpan(16 + Size).ToArray();
        for (var i = 0; i < rest.Length; i++)
        {
            rest[i] ^= (byte)((0x5A + 16 + Size + i) & 0xFF);
        }

        return rest;
    }

    public static byte PlatformOf(byte[] dump) => Settings(dump)[0xF36];

    public static uint VersionOf(byte[] dump) => BinaryPrimitives.ReadUInt32LittleEndian(Settings(dump).AsSpan(8));

    /// <summary>Whether the settings block passes the firmware's own CRC-32 check (SettingsConfigRestore).</summary>
    public static bool ChecksumHolds(byte[] dump)
    {
        var block = Settings(dump);
        return BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(Size - 4)) == Crc32(block.AsSpan(0, Size - 4));
    }

    /// <summary>
    /// What a device serves after it restored <paramref name="uploaded"/> and restarted (settings.ino
    /// SettingsConfigRestore, then boot): bytes 0x000–0x00F are its own, BootCount one more, the version its firmware's
    /// after the upgrade at boot, and what it wrote at its first Wi-Fi connection (support_wifi.ino WifiCheckIp @151
    /// 1112-1121): the gateway, subnet mask and DNS servers of its own network (ipv4_address[1..4], 0x548), and the
    /// fast-reconnect channel and BSSID of the access point it found (0xF09, 0xF0A).
    /// </summary>
    public static byte[] AfterRestore(byte[] current, byte[] uploaded, uint firmwareVersion, byte wifiChannel = 11)
    {
        var own = Settings(current);
        var restored = Settings(uploaded);
        own.AsSpan(0, 16).CopyTo(restored);
        BinaryPrimitives.WriteUInt32LittleEndian(restored.AsSpan(8), firmwareVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(restored.AsSpan(12), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(own.AsSpan(12)) + 1));
        own.AsSpan(0x548, 16).CopyTo(restored.AsSpan(0x548));
        restored[0xF09] = wifiChannel;
        own.AsSpan(0xF0A, 6).CopyTo(restored.AsSpan(0xF0A));
        return Encode(restored, DriverBytes(uploaded) ?? DriverBytes(current));
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
