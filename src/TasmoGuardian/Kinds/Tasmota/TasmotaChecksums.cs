using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>The checksums Tasmota stores in its settings (settings.ino GetCfgCrc32/GetCfgCrc16).</summary>
internal static class TasmotaChecksums
{
    /// <summary>
    /// Reflected polynomial 0xEDB88320 with initial value 0 and the result inverted: not zlib's CRC-32 (whose initial
    /// value is 0xFFFFFFFF), so System.IO.Hashing.Crc32 gives a different number for the same bytes.
    /// </summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }

    /// <summary>The legacy sum of byte × position, skipping the two bytes that hold it (offsets 14 and 15).</summary>
    public static ushort Crc16(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i is 14 or 15)
            {
                continue;
            }

            sum += (uint)(bytes[i] * (i + 1));
        }

        return (ushort)sum;
    }
}
