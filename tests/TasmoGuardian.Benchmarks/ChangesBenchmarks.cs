using BenchmarkDotNet.Attributes;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Kinds.Wled;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>
/// What comparing a backup with the previous one costs, against what every backup already does: validating the dump
/// (the baseline). Tasmota on the real 13.0.0 dump with one text changed; WLED on its zip with a renamed device.
/// </summary>
[MemoryDiagnoser]
public class ChangesBenchmarks
{
    private readonly byte[] _dump = FirmwareFixtures.Bytes("tasmota/Config_pir1_1255_13.0.0.dmp");
    private BackupContent _before = null!;
    private BackupContent _after = null!;
    private BackupContent _wledBefore = null!;
    private BackupContent _wledAfter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var block = TasmotaDumpBuilder.Settings(_dump);
        block[0x800 + 7] ^= 1;
        _before = new BackupContent(_dump);
        _after = new BackupContent(TasmotaDumpBuilder.Encode(block, null));
        _wledBefore = Wled("Desk strip");
        _wledAfter = Wled("Desk");
    }

    [Benchmark(Baseline = true)]
    public bool ValidateDump() => TasmotaDump.Validate(_dump).IsValid;

    [Benchmark]
    public int CompareTasmota() => TasmotaChanges.Instance.Compare(_before, _after).Count;

    [Benchmark]
    public int CompareWled() => WledChanges.Comparer.Compare(_wledBefore, _wledAfter).Count;

    private static BackupContent Wled(string name)
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(FirmwareFixtures.Bytes("wled/wled_cfg_0.15.4_esp32.json"))!;
        config["id"]!["name"] = name;
        var zip = new BackupZip();
        zip.Add("cfg.json", System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()));
        zip.Add("presets.json", FirmwareFixtures.Bytes("wled/wled_presets_0.14.0-b1_one_preset.json"));
        zip.Add("info.json", FirmwareFixtures.Bytes("wled/wled_json_info_0.15.4_esp32.json"));
        return new BackupContent(zip.ToArray(TimeProvider.System));
    }
}
