using System.Globalization;
using System.Text.RegularExpressions;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// What differs between two Tasmota settings dumps, as a user reads it: the texts by the command that sets them
/// (FriendlyName1, Topic, SSId1, MqttHost, …; <see cref="TasmotaTextPool"/>), the rules (Rule1-3), the timers
/// (Timer1-16), Module, Template, the GPIOs (Gpio0, …), the option bits (SetOption0-177), every other byte by the name of
/// its field in TSettings (<see cref="TasmotaLayout"/>, read in the layout of the version that wrote each dump, so a
/// firmware upgrade's moves are not changes), the driver settings of file-system builds and the user files. What the
/// firmware writes by itself (<see cref="TasmotaSettings.SelfChangingFields"/>: boot count, save counter, relay states,
/// energy totals, the Wi-Fi channel, …), unused ("free_…") and abandoned ("ex_…") fields never count.
/// </summary>
internal sealed partial class TasmotaChanges : IBackupComparer
{
    private const int RuleSize = 512;
    private const int TimerSize = 4;

    // The option bits: SetOption0-31 (flag), 32-49 (param, one byte each), 50-81 (flag3), 82-113 (flag4), 114-145
    // (flag5), 146-177 (flag6); tasmota_types.h @3b28c3d7:23-216, the bit comments name each "SetOptionNN".
    private static readonly Dictionary<string, int> OptionBits = new(StringComparer.Ordinal)
    {
        ["flag"] = 0,
        ["flag3"] = 50,
        ["flag4"] = 82,
        ["flag5"] = 114,
        ["flag6"] = 146,
    };

    private static readonly ZipRules UserFiles = new();

    // Driver files that hold running totals beside their settings: the byte ranges the driver rewrites by itself, for
    // the layout of the given size (another size is another driver version: compared whole, but for its CRC). ESP32
    // energy, /.drvset003 (xdrv_03_esp32_energy.ino @3b28c3d7:122-150, 8 phases, 536 bytes): crc32, energy_kWhdoy,
    // energy_kWhtotal_time, the today/yesterday/total/export counters, energy_usage (tEnergyUsage, :78-84). ESP32 shutters, /.drvset027
    // (xdrv_27_esp32_shutter.ino @3b28c3d7:79-100, 16 shutters): crc32, shutter_tilt_pos, shutter_position.
    private static readonly Dictionary<string, (int Size, (int Start, int End)[] Ranges)> DriverCounters = new(StringComparer.Ordinal)
    {
        ["/.drvset003"] = (536, [(0, 4), (6, 12), (160, 288), (320, 360)]),
        ["/.drvset027"] = (0, [(0, 4), (94, 110), (366, 382)]),
    };

    private TasmotaChanges()
    {
    }

    public static TasmotaChanges Instance { get; } = new();

    public bool Recognizes(BackupContent backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return TasmotaDump.Validate(backup.Main).Failure is null;
    }

    public IReadOnlyList<ConfigChange> Compare(BackupContent previous, BackupContent current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = Read(previous.Main);
        var after = Read(current.Main);
        var changes = new List<ConfigChange>();
        changes.AddRange(Texts(before, after));
        changes.AddRange(Fields(before, after));
        changes.AddRange(Drivers(before, after));
        changes.AddRange(ZipComparer.Compare(Files(previous.UserFiles), Files(current.UserFiles), UserFiles));
        return ZipComparer.Distinct(changes);
    }

    private static TasmotaSettings Read(byte[] dump)
    {
        var validation = TasmotaDump.Validate(dump);
        return validation.Failure is { } failure
            ? throw DeviceException.Of(failure.Kind, $"not a readable Tasmota settings file: {failure.Reason}")
            : TasmotaSettings.Read(dump);
    }

    private static IReadOnlyDictionary<string, byte[]> Files(byte[]? zip) => zip is null ? new Dictionary<string, byte[]>() : BackupZip.Read(zip);

    private static IEnumerable<ConfigChange> Texts(TasmotaSettings before, TasmotaSettings after)
    {
        if (before.Version < TasmotaTextPool.FirstVersion || after.Version < TasmotaTextPool.FirstVersion)
        {
            // Before 7.1.2.6 each text had a place of its own: the region is named as a whole.
            if (!before.Block.AsSpan(TasmotaTextPool.Start, TasmotaTextPool.End - TasmotaTextPool.Start).SequenceEqual(after.Block.AsSpan(TasmotaTextPool.Start, TasmotaTextPool.End - TasmotaTextPool.Start)))
            {
                yield return ConfigChange.Changed("text_pool");
            }

            yield break;
        }

        var old = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in TasmotaTextPool.Read(before.Block, before.Version, before.PlatformByte))
        {
            old.TryAdd(name, text);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, text) in TasmotaTextPool.Read(after.Block, after.Version, after.PlatformByte))
        {
            // Texts an upgrade adds are empty until set, so one missing before is the empty text.
            if (seen.Add(name) && !TasmotaTextPool.SelfChanging.Contains(name) && text != old.GetValueOrDefault(name, string.Empty))
            {
                yield return ConfigChange.Changed(name);
            }
        }

        foreach (var (name, text) in old.Where(o => !seen.Contains(o.Key) && o.Value.Length > 0 && !TasmotaTextPool.SelfChanging.Contains(o.Key)))
        {
            yield return ConfigChange.Changed(name);
        }
    }

    /// <summary>
    /// Every field both layouts have, compared by name, so that a field an upgrade moved is compared with itself. A
    /// field only one layout has is the migration's doing (a new setting at its default, an old one given up).
    /// </summary>
    private static IEnumerable<ConfigChange> Fields(TasmotaSettings before, TasmotaSettings after)
    {
        var old = new Dictionary<string, TasmotaLayout.Field>(StringComparer.Ordinal);
        foreach (var field in TasmotaLayout.For(before.Version, before.PlatformByte))
        {
            old.TryAdd(field.Name, field);
        }

        foreach (var field in TasmotaLayout.For(after.Version, after.PlatformByte))
        {
            // The header and the trailer are the firmware's own (SelfChangingFields), but for cfg_holder, the user's.
            if ((field.Offset >= TasmotaTextPool.Start && field.Offset < TasmotaTextPool.End)
                || Unused().IsMatch(field.Name)
                || !old.TryGetValue(field.Name, out var was))
            {
                continue;
            }

            var length = Math.Min(field.Length, was.Length);
            for (var i = 0; i < length; i++)
            {
                var (x, y) = (before.Block[was.Offset + i], after.Block[field.Offset + i]);
                if (x != y && !TasmotaSettings.IsSelfChanging(was.Offset + i, before.Version) && !TasmotaSettings.IsSelfChanging(field.Offset + i, after.Version))
                {
                    foreach (var name in Names(field.Name, i, x ^ y))
                    {
                        yield return ConfigChange.Changed(name);
                    }
                }
            }
        }
    }

    /// <summary>The setting a differing byte belongs to, by the command that sets it where there is one.</summary>
    private static IEnumerable<string> Names(string field, int index, int differingBits)
    {
        if (OptionBits.TryGetValue(field, out var first))
        {
            for (var bit = 0; bit < 8; bit++)
            {
                if ((differingBits & (1 << bit)) != 0)
                {
                    yield return Numbered("SetOption", first + (index * 8) + bit);
                }
            }

            yield break;
        }

        yield return field switch
        {
            "param" => Numbered("SetOption", 32 + index),
            "rules" => Numbered("Rule", (index / RuleSize) + 1),
            "timer" => Numbered("Timer", (index / TimerSize) + 1),

            // myio: one 16-bit word per GPIO number (tasmota_template.h, MAX_GPIO_PIN).
            "my_gp" => Numbered("Gpio", index / 2),
            "module" => "Module",
            "user_template" or "user_template_base" or "user_template_name" => "Template",
            _ => field,
        };
    }

    private static IEnumerable<ConfigChange> Drivers(TasmotaSettings before, TasmotaSettings after)
    {
        foreach (var driver in after.Drivers)
        {
            var was = before.Drivers.FirstOrDefault(d => d.Name == driver.Name);
            if (was is null)
            {
                yield return ConfigChange.Added(driver.Name);
            }
            else if (DriverDiffers(driver.Name, was.Data, driver.Data))
            {
                yield return ConfigChange.Changed(driver.Name);
            }
        }

        foreach (var driver in before.Drivers.Where(d => after.Drivers.All(n => n.Name != d.Name)))
        {
            yield return ConfigChange.Removed(driver.Name);
        }
    }

    /// <summary>Whether a driver file's settings differ; its CRC (first 4 bytes) and the counters it keeps are left out.</summary>
    private static bool DriverDiffers(string name, byte[] before, byte[] after)
    {
        if (before.Length != after.Length)
        {
            return true;
        }

        // Driver 0 has no CRC (settings.ino SettingsConfigRestore checks every other driver's).
        (int Start, int End)[] ranges = DriverCounters.TryGetValue(name, out var known) && (known.Size == 0 || known.Size == before.Length)
            ? known.Ranges
            : name == "/.drvset000" ? [] : [(0, 4)];
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] != after[i] && !ranges.Any(r => i >= r.Start && i < r.End))
            {
                return true;
            }
        }

        return false;
    }

    private static string Numbered(string name, int number) => string.Create(CultureInfo.InvariantCulture, $"{name}{number}");

    // Bytes no firmware of that layout uses: "free_f64", "ex_mqtt_host" (moved into the text pool), "ex2_energy_power_delta".
    [GeneratedRegex("^(free|ex[0-9]*_)")]
    private static partial Regex Unused();
}
