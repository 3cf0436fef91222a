using System.Text.Json.Nodes;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Kinds.Tasmota;
using TasmoGuardian.Tests.Support;
using static TasmoGuardian.Tests.Kinds.Changes.ChangeTesting;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// <c>TasmoGuardian --diff FILE_A FILE_B</c> as a process (the Native AOT build in CI): each kind's files recognised by
/// themselves, one change a line, exit code 0 the same, 1 different, 2 when they cannot be compared.
/// </summary>
public sealed class DiffProcessTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public static TheoryData<string, string> Kinds() => new()
    {
        { "wled", "~ id.name" },
        { "shelly", "+ scripts/2_night.js" },
        { "opendtu", "~ dtu.serial" },
        { "awtrix", "+ ICONS/99.gif" },
        { "ai_on_the_edge", "~ config/config.ini: [PostProcessing] main.DecimalShift" },
    };

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Tasmota_PrintsEachChangedSetting_AndItsUserFiles_ExitingWithOne()
    {
        var before = Write("a.dmp", Fixtures.Bytes("tasmota/Config_pir1_1255_13.0.0.dmp"));
        var block = TasmotaDumpBuilder.Settings(Fixtures.Bytes("tasmota/Config_pir1_1255_13.0.0.dmp"));
        TasmotaChangesTests.SetText(block, "FriendlyName1", "Hallway");
        block[0x800 + 512 + 3] ^= 0x20;
        var after = Write("b.dmp", TasmotaDumpBuilder.Encode(block, null));
        Write("b.files.zip", TasmotaChangesTests.Zip(("autoexec.be", "print('hi')")));

        var (code, output) = await DiffAsync(before, after);

        Assert.Equal((1, "~ FriendlyName1\n~ Rule2\n+ autoexec.be"), (code, output));
        Assert.Equal((0, "Tasmota: the configuration is the same"), await DiffAsync(before, before));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryKind_IsRecognisedFromItsFile_AndItsChangePrinted(string kind, string line)
    {
        var (before, after) = Backups(kind);
        var a = Write($"{kind}-a.zip", Zip(before).Main);
        var b = Write($"{kind}-b.zip", Zip(after).Main);

        Assert.Equal((1, line), await DiffAsync(a, b));
        Assert.Equal(0, (await DiffAsync(a, a)).Code);
    }

    [Fact]
    public async Task FilesThatCannotBeCompared_ExitWithTwo_SayingWhy()
    {
        var dump = Write("a.dmp", Fixtures.Bytes("tasmota/Config_pir1_1255_13.0.0.dmp"));
        var wled = Write("w.zip", Zip(Backups("wled").Before).Main);
        var text = Write("notes.txt", Text("not a backup"));

        Assert.Equal((2, $"{dump} is a Tasmota backup, {wled} a WLED backup: only backups of the same kind can be compared"), await DiffAsync(dump, wled));
        Assert.Equal((2, $"{text} is not a backup of any kind Tasmo Guardian makes"), await DiffAsync(text, dump));
        Assert.Equal((2, $"There is no file {Path.Combine(_folder.Root, "gone.dmp")}."), await DiffAsync(dump, Path.Combine(_folder.Root, "gone.dmp")));

        await using var oneFile = GuardianProcess.Start(["--diff", dump]);
        Assert.Equal(2, await oneFile.WaitForExitAsync(Waits.Long));
        Assert.Equal("Argument --diff needs two backup files. Try --help.", oneFile.Output.Trim());
    }

    private static (Dictionary<string, byte[]> Before, Dictionary<string, byte[]> After) Backups(string kind)
    {
        switch (kind)
        {
            case "wled":
                var wled = Entries(("cfg.json", Fixture("wled/wled_cfg_0.15.4_esp32.json")), ("presets.json", Fixture("wled/wled_presets_0.15.0_empty.json")), ("info.json", Fixture("wled/wled_json_info_0.15.4_esp32.json")));
                return (wled, wled.With("cfg.json", Edit(wled["cfg.json"], c => c["id"]!["name"] = "Desk")));
            case "shelly":
                var shelly = Entries(("Shelly.GetConfig.json", Fixture("shelly/shelly_gen2_getconfig_1.7.5_Plus1PM.json")), ("scripts/1_day.js", Text("let a;")), ("Shelly.GetDeviceInfo.json", Fixture("shelly/shelly_gen2_shelly_1.7.5_Plus1PM.json")));
                return (shelly, shelly.With("scripts/2_night.js", Text("let b;")));
            case "opendtu":
                var dtu = Entries(("info.json", Fixture("opendtu/opendtu_api_system_status_v26.3.30_esp32.json")), ("config.json", Fixture("opendtu/opendtu_config_v26.3.30.json")));
                return (dtu, dtu.With("config.json", Edit(dtu["config.json"], c => c["dtu"]!["serial"] = 1)));
            case "awtrix":
                var awtrix = Entries(("info.json", Fixture("awtrix/awtrix_api_stats_0.98.json")), ("api_settings.json", Fixture("awtrix/awtrix_api_settings_0.98.json")));
                return (awtrix, awtrix.With("ICONS/99.gif", [0x47, 0x49, 0x46]));
            default:
                var ini = Fixture("ai_on_the_edge/ai_on_the_edge_config_v16.1.0.ini");
                var edge = Entries(("config/config.ini", ini), ("info.json", Text("{}")));
                return (edge, edge.With("config/config.ini", Text(System.Text.Encoding.UTF8.GetString(ini).Replace("main.DecimalShift = 0", "main.DecimalShift = 2", StringComparison.Ordinal))));
        }
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder.Root, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static async Task<(int Code, string Output)> DiffAsync(string a, string b)
    {
        await using var program = GuardianProcess.Start(["--diff", a, b]);
        var code = await program.WaitForExitAsync(Waits.Long);
        return (code, program.Output.Trim().ReplaceLineEndings("\n"));
    }
}
