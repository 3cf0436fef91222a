namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Where each field of Tasmota's 4096-byte settings block lies (TSettings, tasmota/include/tasmota_types.h; before
/// 12.1 tasmota/settings.h): the fields move between releases (switchmode from 0x3A4 to 0x4A9 in 9.2.0.6 and to 0x4A8
/// in 14.3.0.7, pulse_timer from 0x532 to 0x57C in 11.0.0.3, …) and between chip families (the block 0x3AC–0x495 is
/// mapped per chip: my_gp, user_template and module lie elsewhere on an ESP32-S3). The table in TasmotaLayout.Fields.cs
/// is generated from the firmware's history (tools/tasmota-layout/generate.py), so a settings block is read with the
/// layout of the version that wrote it.
/// </summary>
internal static partial class TasmotaLayout
{
    private const int Esp8266 = 1 << 0;
    private const int Esp32 = 1 << 1;
    private const int Esp32S3 = 1 << 2;
    private const int Esp32S2 = 1 << 3;
    private const int Esp32C3 = 1 << 4;
    private const int Esp32C2 = 1 << 5;
    private const int Esp32C6 = 1 << 6;
    private const int Esp32P4 = 1 << 7;
    private const int Esp32C5 = 1 << 8;
    private const int All = (1 << 9) - 1;

    /// <summary>
    /// The fields of settings written by <paramref name="version"/> (the word at 0x008) on the chip family
    /// <paramref name="platform"/> (config_version, 0xF36), by offset. A chip family this table does not know is read as
    /// the plain ESP32; settings older than 9.0 as 9.0's.
    /// </summary>
    public static IReadOnlyList<Field> For(uint version, byte platform)
    {
        // 2022.01.x (0x1416010x) was the calendar numbering Tasmota used for a month between 10.1.0.3 and 10.1.0.8.
        if (version >> 24 == 0x14)
        {
            version = 0x0A010004;
        }

        var chip = platform <= 8 ? 1 << platform : Esp32;
        return [.. AllFields.Where(f => (f.Platforms & chip) != 0 && version >= f.From && version < f.Before)];
    }

    /// <summary>One field: its offset, length and name in TSettings, and the versions and chips that have it there.</summary>
    internal sealed record Field(int Offset, int Length, string Name, int Platforms)
    {
        /// <summary>The first settings version with the field here.</summary>
        public uint From { get; init; }

        /// <summary>The first settings version with something else here.</summary>
        public uint Before { get; init; } = uint.MaxValue;

        public int End => Offset + Length;
    }
}
