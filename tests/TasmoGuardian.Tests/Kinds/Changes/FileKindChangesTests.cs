using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AhoyDtu;
using TasmoGuardian.Kinds.AiOnTheEdge;
using TasmoGuardian.Kinds.Awtrix;
using TasmoGuardian.Kinds.OpenDtu;
using TasmoGuardian.Kinds.OpenHasp;
using static TasmoGuardian.Tests.Kinds.Changes.ChangeTesting;

namespace TasmoGuardian.Tests.Kinds.Changes;

/// <summary>OpenDTU, AhoyDTU, AI-on-the-Edge, Awtrix and openHASP: their files by path, JSON by the paths inside.</summary>
public sealed class FileKindChangesTests
{
    private static readonly Dictionary<string, byte[]> OpenDtu = Entries(
        ("info.json", Fixture("opendtu/opendtu_api_system_status_v26.3.30_esp32.json")),
        ("config.json", Fixture("opendtu/opendtu_config_v26.3.30.json")));

    private static readonly Dictionary<string, byte[]> Ahoy = Entries(
        ("info.json", Fixture("ahoydtu/ahoydtu_api_system_0.8.155_esp32.json")),
        ("settings.json", Fixture("ahoydtu/ahoydtu_settings_json_0.8.155_esp32.json")));

    private static readonly Dictionary<string, byte[]> AiOnTheEdge = Entries(
        ("config/config.ini", Fixture("ai_on_the_edge/ai_on_the_edge_config_v16.1.0.ini")),
        ("config/ref0.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]),
        ("info.json", Text("""{"FirmwareVersion":"v16.1.0"}""")));

    private static readonly Dictionary<string, byte[]> Awtrix = Entries(
        ("info.json", Fixture("awtrix/awtrix_api_stats_0.98.json")),
        ("api_settings.json", Fixture("awtrix/awtrix_api_settings_0.98.json")),
        ("DoNotTouch.json", Text("""{"Broker":"10.0.0.2"}""")));

    private static readonly Dictionary<string, byte[]> OpenHasp = Entries(
        ("info.json", Fixture("openhasp/openhasp_api_info_0.7.0-rc13_en_US.json")),
        ("config.json", Fixture("openhasp/openhasp_config_json_served_0.7.0-rc13.json")),
        ("pages.jsonl", Text("""{"page":1,"id":1,"obj":"btn"}""")));

    private static readonly string[] KindNames = ["opendtu", "ahoydtu", "ai_on_the_edge", "awtrix", "openhasp"];

    public static TheoryData<string> Kinds() => [.. KindNames];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Compare_FindsNothing_WhenTheBackupIsTheSame_ButForItsIdentification(string kind)
    {
        var (comparer, files) = Of(kind);

        Assert.Empty(comparer.Compare(Zip(files), Zip(files.With("info.json", Text("""{"uptime":5}""")))));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Compare_NamesAFileThatCameOrWent(string kind)
    {
        var (comparer, files) = Of(kind);

        Assert.Equal(["+ extra/new.bin"], comparer.Compare(Zip(files), Zip(files.With("extra/new.bin", [1, 2]))).Lines());
        Assert.Equal(["- extra/new.bin"], comparer.Compare(Zip(files.With("extra/new.bin", [1, 2])), Zip(files)).Lines());
    }

    [Fact]
    public void OpenDtu_LeavesItsSaveCounterOut_AndNamesSettings()
    {
        var saved = OpenDtu.With("config.json", Edit(OpenDtu["config.json"], c => c["cfg"]!["save_count"] = 18));
        var renamed = saved.With("config.json", Edit(saved["config.json"], c => c["dtu"]!["serial"] = 1));

        Assert.Empty(OpenDtuChanges.Comparer.Compare(Zip(OpenDtu), Zip(saved)));
        Assert.Equal(["~ dtu.serial"], OpenDtuChanges.Comparer.Compare(Zip(OpenDtu), Zip(renamed)).Lines());
    }

    [Fact]
    public void AhoyDtu_NamesSettingsByPath() =>
        Assert.Equal(["~ ntp.addr"], AhoyDtuChanges.Comparer.Compare(Zip(Ahoy), Zip(Ahoy.With("settings.json", Edit(Ahoy["settings.json"], s => s["ntp"]!["addr"] = "ntp.local")))).Lines());

    [Fact]
    public void AiOnTheEdge_NamesConfigIniBySectionAndParameter_AndImagesByPath()
    {
        var ini = System.Text.Encoding.UTF8.GetString(AiOnTheEdge["config/config.ini"])
            .Replace("main.DecimalShift = 0", "main.DecimalShift = 1", StringComparison.Ordinal)
            .Replace(";[MQTT]", "[MQTT]", StringComparison.Ordinal)
            .Replace(";Uri = mqtt://", "Uri = mqtt://", StringComparison.Ordinal)
            .Replace("main.dig1 294 126 30 54 false", "main.dig1 295 126 30 54 false", StringComparison.Ordinal);
        var after = AiOnTheEdge.With("config/config.ini", Text(ini)).With("config/ref0.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 9]);

        Assert.Equal(
            ["~ config/config.ini: [Digits] main.dig1", "~ config/config.ini: [PostProcessing] main.DecimalShift", "~ config/config.ini: [MQTT]", "~ config/config.ini: [MQTT] Uri", "~ config/ref0.jpg"],
            AiOnTheEdgeChanges.Comparer.Compare(Zip(AiOnTheEdge), Zip(after)).Lines());
    }

    [Fact]
    public void Awtrix_LeavesWhatARestartForgetsOut_AndNamesSettingsAndFiles()
    {
        var state = Awtrix.With("api_settings.json", Edit(Awtrix["api_settings.json"], s => (s["MATP"], s["GAMMA"]) = (false, 2.2)));
        var changed = state.With("api_settings.json", Edit(state["api_settings.json"], s => s["TCOL"] = 255)).With("DoNotTouch.json", Text("""{"Broker":"10.0.0.3"}"""));

        Assert.Empty(AwtrixChanges.Comparer.Compare(Zip(Awtrix), Zip(state)));
        Assert.Equal(["~ TCOL", "~ DoNotTouch.json: Broker"], AwtrixChanges.Comparer.Compare(Zip(Awtrix), Zip(changed)).Lines());
    }

    [Fact]
    public void OpenHasp_NamesConfigByPath_AndPagesByFile()
    {
        var after = OpenHasp
            .With("config.json", Edit(OpenHasp["config.json"], c => c["hasp"]!["theme"] = 9))
            .With("pages.jsonl", Text("""{"page":1,"id":1,"obj":"label"}"""))
            .With("discovery.json", Text("{}"));

        Assert.Equal(["~ hasp.theme", "~ pages.jsonl"], OpenHaspChanges.Comparer.Compare(Zip(OpenHasp), Zip(after)).Lines());
    }

    [Fact]
    public void EachKind_RecognizesOnlyItsOwnZip()
    {
        foreach (var kind in KindNames)
        {
            var (comparer, _) = Of(kind);
            Assert.Equal([kind], KindNames.Where(other => comparer.Recognizes(Zip(Of(other).Files))));
        }
    }

    private static (IBackupComparer Comparer, Dictionary<string, byte[]> Files) Of(string kind) => kind switch
    {
        "opendtu" => (OpenDtuChanges.Comparer, OpenDtu),
        "ahoydtu" => (AhoyDtuChanges.Comparer, Ahoy),
        "ai_on_the_edge" => (AiOnTheEdgeChanges.Comparer, AiOnTheEdge),
        "awtrix" => (AwtrixChanges.Comparer, Awtrix),
        _ => (OpenHaspChanges.Comparer, OpenHasp),
    };
}
