using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

/// <summary>What changed between two Tasmota dumps, on the real 9.1.0 and 13.0.0 dumps of tests/fixtures/tasmota.</summary>
public sealed class TasmotaChangesTests
{
    private const string Pir = "tasmota/Config_pir1_1255_13.0.0.dmp";
    private const string Rolladen = "tasmota/Config_Elias_Rolladen_9.1.0.dmp";

    [Theory]
    [InlineData(Pir)]
    [InlineData(Rolladen)]
    public void Compare_FindsNothing_WhenTheDumpIsTheSame(string dump) =>
        Assert.Empty(Changes(Fixtures.Bytes(dump), Fixtures.Bytes(dump)));

    [Theory]
    [InlineData(Pir)]
    [InlineData(Rolladen)]
    public void Compare_FindsNothing_WhenOnlyWhatTheFirmwareWritesItselfDiffers(string dump)
    {
        var block = TasmotaDumpBuilder.Settings(Fixtures.Bytes(dump));
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(0x00C), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(0x00C)) + 5)); // bootcount
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(0x004), BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(0x004)) + 9); // save_flag
        block[0x2E8] ^= 0x01;      // power: the relay went on
        block[0x49E] = 37;         // light_dimmer
        block[0x5C0] += 3;         // pulse_counter
        block[0xF09] ^= 0x07;      // wifi_channel
        block[0xF0A] ^= 0x55;      // wifi_bssid
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(0xFF8), 1_800_000_000); // cfg_timestamp

        Assert.Empty(Changes(Fixtures.Bytes(dump), TasmotaDumpBuilder.Encode(block, null)));
    }

    [Fact]
    public void Compare_NamesEachSetting_ByTheCommandThatSetsIt()
    {
        var block = TasmotaDumpBuilder.Settings(Fixtures.Bytes(Pir));
        SetText(block, "FriendlyName1", "Hallway PIR");
        SetText(block, "MqttHost", "10.0.0.2");
        block[0x010] ^= 1 << 2;           // flag bit 2: SetOption2
        block[0x2FC + 3] ^= 1;            // param[3]: SetOption35
        block[0x3A0 + 1] ^= 1 << 4;       // flag3 bit 12: SetOption62
        block[0x800 + 512 + 40] ^= 1;     // the second rule set
        block[0x670 + 8] ^= 1;            // the third timer
        block[0x474] = 18;                // module
        block[0x3AC + (4 * 2)] ^= 1;      // my_gp.io[4]
        block[0x2F8] ^= 1;                // tele_period

        var changes = Changes(Fixtures.Bytes(Pir), TasmotaDumpBuilder.Encode(block, null));

        Assert.Equal(["MqttHost", "FriendlyName1", "SetOption2", "tele_period", "SetOption35", "SetOption62", "Gpio4", "Module", "Timer3", "Rule2"], changes.Select(c => c.Name));
        Assert.All(changes, c => Assert.Equal(ConfigChangeKind.Changed, c.Kind));
    }

    [Fact]
    public void Compare_NamesNoValue_OnlyTheSetting()
    {
        var block = TasmotaDumpBuilder.Settings(Fixtures.Bytes(Pir));
        SetText(block, "Password1", "a-new-wifi-secret");

        var changes = Changes(Fixtures.Bytes(Pir), TasmotaDumpBuilder.Encode(block, null));

        Assert.Equal(["Password1"], changes.Select(c => c.Name));
        Assert.DoesNotContain(changes, c => c.Name.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_ReadsEachDump_InTheLayoutOfTheVersionThatWroteIt()
    {
        // 9.1.0 keeps switchmode at 0x3A4 (8 bytes); from 9.2.0.6 on it lies at 0x4A9 (28 bytes), 0x3A4 left unused.
        var old = Fixtures.Bytes(Rolladen);
        var block = TasmotaDumpBuilder.Settings(old);
        block[0x3A4] = 3;
        var before = TasmotaDumpBuilder.Encode(block, null);
        var upgraded = (byte[])block.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(upgraded.AsSpan(0x008), 0x0A000000);
        upgraded.AsSpan(0x3A4, 8).CopyTo(upgraded.AsSpan(0x4A9));
        var moved = Changes(before, TasmotaDumpBuilder.Encode(upgraded, null)).Select(c => c.Name).ToList();

        upgraded.AsSpan(0x4A9, 8).Clear();
        var lost = Changes(before, TasmotaDumpBuilder.Encode(upgraded, null)).Select(c => c.Name).ToList();

        Assert.DoesNotContain("switchmode", moved);
        Assert.Contains("switchmode", lost);
    }

    [Theory]
    [InlineData(0x0D000000u, 0, 0x474, 36)]  // 13.0.0 on an ESP8266: module at 0x474, my_gp 2x18 bytes
    [InlineData(0x0F010000u, 1, 0x474, 80)]  // 15.1.0 on an ESP32: 2x40
    [InlineData(0x0F010000u, 2, 0x45F, 98)]  // 15.1.0 on an ESP32-S3: its own mapping of 0x3AC-0x495
    public void Layout_PutsModuleAndGpios_WhereTheFirmwareKeepsThem(uint version, byte platform, int module, int gpios)
    {
        var layout = TasmotaLayout.For(version, platform);

        Assert.Equal(module, layout.Single(f => f.Name == "module").Offset);
        Assert.Equal(gpios, layout.Single(f => f.Name == "my_gp").Length);
        Assert.Equal(0x800, layout.Single(f => f.Name == "rules").Offset);
    }

    [Fact]
    public void TextPool_ReadsTheRealDumps_ByName()
    {
        var texts = TasmotaTextPool.Read(TasmotaDumpBuilder.Settings(Fixtures.Bytes(Pir)), 0x0D000000, 0).ToDictionary(t => t.Name, t => t.Text);

        Assert.Equal(("pir1", "Tasmota", "2.pool.ntp.org", "cmnd"), (texts["Topic"], texts["FriendlyName1"], texts["NtpServer1"], texts["Prefix1"]));
    }

    [Fact]
    public void Compare_NamesDriverSettings_AndUserFiles()
    {
        var before = TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 40), (5, 24));
        var block = TasmotaDumpBuilder.Settings(before);
        var drivers = TasmotaDumpBuilder.DriverBytes(before)!;
        drivers[16 + 10] ^= 1;
        BinaryPrimitives.WriteUInt32LittleEndian(drivers.AsSpan(16), TasmotaDumpBuilder.Crc32(drivers.AsSpan(20, 36)));
        var after = TasmotaDumpBuilder.Encode(block, drivers);

        var changes = TasmotaChanges.Instance.Compare(
            new BackupContent(before, Zip(("autoexec.be", "print('a')"), ("lib/", ""))),
            new BackupContent(after, Zip(("autoexec.be", "print('b')"), ("lib/", ""), ("lib/more.be", "x"))));

        Assert.Equal([ConfigChange.Changed("/.drvset003"), ConfigChange.Changed("autoexec.be"), ConfigChange.Added("lib/more.be")], changes);
    }

    [Theory]
    [InlineData(160, false)]  // energy_today_kWh[0]: the ESP32 energy driver's running total
    [InlineData(330, false)]  // energy_usage
    [InlineData(0, false)]    // its CRC, which follows the totals
    [InlineData(32, true)]    // power_calibration[0]: PowerCal
    [InlineData(400, true)]   // phase[1]: the limits (MaxPower, …)
    public void Compare_LeavesTheEnergyDriversTotalsOut_ButNotItsSettings(int offset, bool changed)
    {
        var before = TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 536));
        var drivers = TasmotaDumpBuilder.DriverBytes(before)!;
        drivers[16 + offset] ^= 0x40;
        var after = TasmotaDumpBuilder.Encode(TasmotaDumpBuilder.Settings(before), drivers);

        Assert.Equal(changed ? ["/.drvset003"] : [], Changes(before, after).Select(c => c.Name));
    }

    [Fact]
    public void Recognizes_OnlyTasmotaDumps() =>
        Assert.Equal((true, false), (TasmotaChanges.Instance.Recognizes(new BackupContent(Fixtures.Bytes(Pir))), TasmotaChanges.Instance.Recognizes(new BackupContent(Zip(("cfg.json", "{}"))))));

    internal static IReadOnlyList<ConfigChange> Changes(byte[] before, byte[] after) =>
        TasmotaChanges.Instance.Compare(new BackupContent(before), new BackupContent(after));

    /// <summary>Replaces one text of the pool as SettingsUpdateText does: the rest moves, the end is zero-filled.</summary>
    internal static void SetText(byte[] block, string name, string text)
    {
        var version = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(8));
        var index = TasmotaTextPool.Names(version, block[0xF36]).ToList().IndexOf(name);
        var entries = Encoding.Latin1.GetString(block, TasmotaTextPool.Start, TasmotaTextPool.End - TasmotaTextPool.Start).Split('\0');
        entries[index] = text;
        var pool = Encoding.Latin1.GetBytes(string.Join('\0', entries));
        Array.Clear(block, TasmotaTextPool.Start, TasmotaTextPool.End - TasmotaTextPool.Start);
        pool.AsSpan(0, Math.Min(pool.Length, TasmotaTextPool.End - TasmotaTextPool.Start)).CopyTo(block.AsSpan(TasmotaTextPool.Start));
    }

    internal static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }
}
