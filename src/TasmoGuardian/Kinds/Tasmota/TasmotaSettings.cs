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
    /// The fields of the settings block the firmware rewrites by itself, at boot or while it runs, so that two downloads
    /// differ there without the user having changed anything (research FACTS §12). Offsets and sizes are TSettings'
    /// (tasmota/include/tasmota_types.h @3b28c3d7 = 15.1.0, the same in 13.0.0 @b53a1611); each line names the writer.
    /// Where the layout moved, an entry holds only for the settings versions (the version word at 0x008) that have the
    /// field there, read in tasmota/settings.h @0489d3fc (9.2.0) and the commits that moved it; layouts older than 9.2.0
    /// are taken as 9.2.0's. ESP32-P4 builds shift some fields ("P4" offsets in tasmota_types.h), not handled here.
    /// A restore copies bytes 0x010–0xFF7 and keeps 0x000–0x00F of the device (settings.ino SettingsConfigRestore
    /// @3b28c3d7:561), so <see cref="DifferingFields"/> looks only there; the header and trailer fields are listed too,
    /// for comparing two backups with each other. cfg_holder (0x000) is not here: only the user changes it.
    /// </summary>
    public static readonly IReadOnlyList<SelfChangingField> SelfChangingFields =
    [
        // Header: every flash save (settings.ino SettingsSave @3b28c3d7:752-760), each boot (support_tasmota.ino:1144),
        // a firmware upgrade's settings migration (settings.ino:562).
        new("cfg_size", 0x002, 2),                    // types:485, rewritten to 4096 on every save (settings.ino:757)
        new("save_flag", 0x004, 4),                   // types:486, +1 on every save, also the SettingsSave(1) at each web upload's start (xdrv_01_9_webserver.ino:3452)
        new("version", 0x008, 4),                     // types:487, the running firmware's after an upgrade (settings.ino:562)
        new("bootcount", 0x00C, 2),                   // types:488, +1 at BOOT_LOOP_TIME after each boot (support_tasmota.ino:1144)
        new("cfg_crc", 0x00E, 2),                     // types:489, recomputed on every save (settings.ino:759)

        // Inside the range a restore copies.
        new("power", 0x2E8, 4),                       // types:519, relay states saved with SaveState (support_tasmota.ino:1554, settings.ino:370) and set by PowerOnState at boot
        new("energy_kWhtoday_ph", 0x314, 12) { From = 0x09050009 }, // types:529, energy counters by phase (xdrv_03_energy.ino:377-456), here since 9.5.0.9 (2455d4bfe)
        new("energy_kWhyesterday_ph", 0x320, 12) { From = 0x09050009 }, // types:530
        new("energy_kWhtotal_ph", 0x32C, 12) { From = 0x09050009 }, // types:531
        new("energy_kWhtoday, energy_kWhyesterday, energy_kWhdoy", 0x370, 10) { Before = 0x0C020002 }, // settings.h @0489d3fc:412-414; user calibration since 12.2.0.2 (cef18060a)
        new("last_module", 0x399, 1),                 // types:564, set to the module at BOOT_LOOP_TIME (support_tasmota.ino:1138)
        new("energy_kWhdoy", 0x3A4, 2) { From = 0x0C020002 }, // types:569, the day of the year the counters belong to (xdrv_03_energy.ino:414,453); the user's switchmode before 9.2.0.6 (8b0e45a58)
        new("light_color", 0x498, 5),                 // types:715, the current light state (xdrv_04_light.ino:967-986 saveSettings)
        new("light_dimmer", 0x49E, 1),                // types:717 (the same)
        new("rule_once", 0x4A0, 1),                   // types:719, "once" rules disarm themselves when they fire (xdrv_10_rules.ino:632-940)
        new("ipv4_address[1..4]", 0x548, 16),         // types:747, gateway, subnet mask, DNS 1 and 2 of every new Wi-Fi connection (support_wifi.ino:1112-1115); [0], the static address, is the user's. Before 9.5.0.4 (65b7034b0): ip_address[1..3] and energy_kWhtotal (settings.h @0489d3fc:500-501)
        new("pulse_counter", 0x5C0, 16),              // types:755, counter inputs, running totals (xsns_01_counter.ino:204)
        new("energy_usage", 0x77C, 24),               // types:795, tariff totals (EnergyUsage, 6 × 4 bytes)
        new("energy_kWhtotal_time", 0x7B4, 4),        // types:797, when the totals started (xdrv_03_energy.ino:379,400)
        new("energy_frequency_calibration", 0x7C8, 4), // types:803, also HX711's last weight, saved as it changes
        new("shutter_position", 0xE80, 4),            // types:816, where each of the 4 shutters stands (xdrv_27_shutter.ino:689)
        new("sta_active", 0xEC8, 1),                  // types:837, which of the two access points it connected to (support_wifi.ino:343)
        new("sps30_inuse_hours", 0xF02, 1),           // types:851, SPS30 sensor running hours (xsns_44_sps30.ino:196)
        new("wifi_channel", 0xF09, 1),                // types:858, kept for a fast reconnect after every Wi-Fi connection (support_wifi.ino:1119)
        new("wifi_bssid", 0xF0A, 6),                  // types:859 (support_wifi.ino:1120-1121)
        new("energy_kWhexport_ph", 0xF7C, 12) { From = 0x0B010001 }, // types:900 (xdrv_03_energy.ino:422,458), since 11.1.0.1 (7c417430c)
        new("eth_ipv4_address[1..4]", 0xF8C, 16),     // types:901, the Ethernet port's gateway, subnet mask and DNS (xdrv_82_esp32_ethernet.ino:164-168); [0] is the user's
        new("energy_kWhtotal", 0xF9C, 4) { From = 0x09050004, Before = 0x0C000204 }, // from 9.5.0.4 (65b7034b0) to 12.0.2.4 (02d7eb1d7); later power_lock, the user's (types:902)
        new("keeloq_count", 0xFC8, 4),                // types:913, KeeLoq rolling code (xdrv_36_keeloq.ino:79,119)
        new("bootcount_reset_time", 0xFD4, 4),        // types:916, set once the clock is valid (support_rtc.ino:472)

        // Trailer: every save (settings.ino:754-760), and the CRC once more for each backup (SettingsConfigBackup).
        new("cfg_timestamp", 0xFF8, 4),               // types:920
        new("cfg_crc32", 0xFFC, 4),                   // types:921
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
            drivers.Add(new DriverFile(name, size, valid) { Data = data.ToArray() });
            offset = dataStart + ((size / 16) * 16) + 16;
        }

        return new TasmotaSettings(block, framed, drivers);
    }

    /// <summary>
    /// The offsets at which two settings blocks of one layout differ in the range a restore copies, the fields the
    /// firmware changes by itself (in <paramref name="expected"/>'s layout) left out.
    /// </summary>
    public static IReadOnlyList<string> DifferingFields(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var differing = new List<string>();
        var version = BinaryPrimitives.ReadUInt32LittleEndian(expected[8..]);
        for (var i = CompareStart; i < CompareEnd; i++)
        {
            if (expected[i] == actual[i] || IsSelfChanging(i, version))
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

    /// <summary>Whether the firmware rewrites the byte at <paramref name="offset"/> by itself in settings of <paramref name="version"/>.</summary>
    public static bool IsSelfChanging(int offset, uint version)
    {
        foreach (var field in SelfChangingFields)
        {
            if (field.AppliesTo(version) && offset >= field.Offset && offset < field.Offset + field.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A field the firmware rewrites by itself, where it lies in settings of versions <see cref="From"/> up to before <see cref="Before"/>.</summary>
    public sealed record SelfChangingField(string Name, int Offset, int Length)
    {
        /// <summary>The first settings version word (0x008) with the field at this offset.</summary>
        public uint From { get; init; }

        /// <summary>The first settings version word that has something else there.</summary>
        public uint Before { get; init; } = uint.MaxValue;

        public bool AppliesTo(uint version) => version >= From && version < Before;
    }

    /// <summary>One driver file of the file-system variant: its name, size, and whether its checksum holds.</summary>
    public sealed record DriverFile(string Name, int Size, bool ChecksumValid)
    {
        /// <summary>The driver's data (its CRC first, for drivers other than 0); empty when the file is cut short.</summary>
        public byte[] Data { get; init; } = [];
    }
}
