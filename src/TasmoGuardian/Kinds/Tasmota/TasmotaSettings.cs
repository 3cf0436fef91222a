using System.Buffers.Binary;
using System.Text;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// A whole settings dump decoded: the 4096-byte settings block and, in the file-system variant, the driver files that
/// follow it (settings.ino SettingsConfigBackup: a 16-byte "/.drvsetNNN" header with the size, the data padded to 16
/// bytes, its first 4 bytes the data's CRC-32 for drivers other than 0). Read only after <see cref="TasmotaDump.Validate"/>
/// passed. The layout offsets are those of tasmota_types.h (TSettings).
/// </summary>
internal sealed class TasmotaSettings
{
    /// <summary>
    /// Bytes 0x010–0xFF7 are what a restore copies (SettingsConfigRestore keeps 0x000–0x00F from the device; 0xFF8 on is
    /// cfg_timestamp and the CRC). Within them, the firmware itself rewrites these fields at boot or while it runs, so a
    /// fresh download after a restore may differ there without anything being wrong:
    /// </summary>
    public static readonly IReadOnlyList<(string Field, int Offset, int Length)> SelfChangingFields =
    [
        ("power", 0x2E8, 4),                       // relay states, saved with SaveState and set by PowerOnState at boot
        ("energy_kWhtoday_ph", 0x314, 12),         // energy counters, running totals
        ("energy_kWhyesterday_ph", 0x320, 12),
        ("energy_kWhtotal_ph", 0x32C, 12),
        ("energy_kWhdoy", 0x3A4, 2),               // day of the year the counters belong to
        ("pulse_counter", 0x5C0, 16),              // counter inputs, running totals
        ("energy_usage", 0x77C, 24),               // tariff totals
        ("energy_kWhtotal_time", 0x7B4, 4),
        ("energy_frequency_calibration", 0x7C8, 4), // also HX711's last weight, saved as it changes
        ("sta_active", 0xEC8, 1),                  // the Wi-Fi access point it connected to
        ("sps30_inuse_hours", 0xF02, 1),
        ("wifi_channel", 0xF09, 1),                // kept for a fast reconnect after every Wi-Fi connection
        ("wifi_bssid", 0xF0A, 6),
        ("energy_kWhexport_ph", 0xF7C, 12),
        ("keeloq_count", 0xFC8, 4),
        ("bootcount_reset_time", 0xFD4, 4),
    ];

    public const int CompareStart = 0x010;
    public const int CompareEnd = 0xFF8;

    private const int PlatformOffset = 0xF36;
    private const int XorKey = 0x5A;

    private TasmotaSettings(byte[] block, bool framed, IReadOnlyList<DriverFile> drivers)
    {
        Block = block;
        Framed = framed;
        Drivers = drivers;
    }

    /// <summary>The decoded 4096-byte settings.</summary>
    public byte[] Block { get; }

    /// <summary>The file-system variant with the "/.settings" header.</summary>
    public bool Framed { get; }

    public IReadOnlyList<DriverFile> Drivers { get; }

    public byte PlatformByte => Block[PlatformOffset];

    public uint Version => BinaryPrimitives.ReadUInt32LittleEndian(Block.AsSpan(8));

    public ushort BootCount => BinaryPrimitives.ReadUInt16LittleEndian(Block.AsSpan(12));

    /// <summary>Decodes a dump that passed <see cref="TasmotaDump.Validate"/>; a driver file whose checksum is wrong is reported, not hidden.</summary>
    public static TasmotaSettings Read(ReadOnlySpan<byte> file)
    {
        var framed = file.Length > TasmotaDump.SettingsSize;
        var decoded = new byte[file.Length];
        file.CopyTo(decoded);

        // The whole buffer is XORed from index 2 (plain) or 18 (framed: the header and cfg_holder stay plain).
        for (var i = framed ? TasmotaDump.FileSystemHeaderSize + 2 : 2; i < decoded.Length; i++)
        {
            decoded[i] ^= (byte)((XorKey + i) & 0xFF);
        }

        var start = framed ? TasmotaDump.FileSystemHeaderSize : 0;
        var block = decoded.AsSpan(start, TasmotaDump.SettingsSize).ToArray();
        var drivers = new List<DriverFile>();
        var offset = start + TasmotaDump.SettingsSize;
        while (framed && offset + 16 <= decoded.Length)
        {
            var name = Encoding.ASCII.GetString(decoded.AsSpan(offset, 14)).TrimEnd('\0');
            var size = BinaryPrimitives.ReadUInt16LittleEndian(decoded.AsSpan(offset + 14));
            var dataStart = offset + 16;
            if (size < 4 || dataStart + size > decoded.Length)
            {
                drivers.Add(new DriverFile(name, size, false));
                break;
            }

            var data = decoded.AsSpan(dataStart, size);
            var index = name.StartsWith("/.drvset", StringComparison.Ordinal) && int.TryParse(name.AsSpan(8), out var n) ? n : -1;

            // SettingsConfigRestore checks the CRC of every driver but driver 0.
            var valid = index == 0 || TasmotaChecksums.Crc32(data[4..]) == BinaryPrimitives.ReadUInt32LittleEndian(data);
            drivers.Add(new DriverFile(name, size, valid));
            offset = dataStart + ((size / 16) * 16) + 16;
        }

        return new TasmotaSettings(block, framed, drivers);
    }

    /// <summary>The names of the fields that differ between two settings blocks in the range a restore copies, self-changing fields left out.</summary>
    public static IReadOnlyList<string> DifferingFields(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var differing = new List<string>();
        for (var i = CompareStart; i < CompareEnd; i++)
        {
            if (expected[i] == actual[i] || IsSelfChanging(i))
            {
                continue;
            }

            var name = $"0x{i:X3}";
            if (!differing.Contains(name))
            {
                differing.Add(name);
            }

            if (differing.Count == 5)
            {
                break;
            }
        }

        return differing;
    }

    /// <summary>
    /// The texts of a settings block that a user wrote: the text pool (0x017–0x2D1: device and friendly names, host
    /// name, Wi-Fi, MQTT, topics, web password) and the rules (0x800–0xDFF), as the NUL-ended runs of at least three
    /// printable characters in them. Both regions have kept their place since firmware 8, and a migration of an older
    /// layout keeps their texts, so they show whether a restore across versions took where the bytes cannot be compared.
    /// </summary>
    public static IReadOnlySet<string> Texts(ReadOnlySpan<byte> block)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        AddTexts(block[0x017..0x2D2], texts);
        AddTexts(block[0x800..0xE00], texts);
        return texts;
    }

    private static void AddTexts(ReadOnlySpan<byte> region, HashSet<string> texts)
    {
        var run = new StringBuilder();
        foreach (var b in region)
        {
            if (b is >= 0x20 and < 0x7F)
            {
                run.Append((char)b);
                continue;
            }

            if (b == 0 && run.Length >= 3)
            {
                texts.Add(run.ToString());
            }

            run.Clear();
        }
    }

    private static bool IsSelfChanging(int offset)
    {
        foreach (var (_, start, length) in SelfChangingFields)
        {
            if (offset >= start && offset < start + length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One driver file of the file-system variant: its name, size, and whether its checksum holds.</summary>
    public sealed record DriverFile(string Name, int Size, bool ChecksumValid);
}
