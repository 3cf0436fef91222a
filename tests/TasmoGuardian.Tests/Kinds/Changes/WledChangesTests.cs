using TasmoGuardian.Kinds.Wled;
using static TasmoGuardian.Tests.Kinds.Changes.ChangeTesting;

namespace TasmoGuardian.Tests.Kinds.Changes;

public sealed class WledChangesTests
{
    private static readonly Dictionary<string, byte[]> Backup = Entries(
        ("cfg.json", Fixture("wled/wled_cfg_0.15.4_esp32.json")),
        ("presets.json", Fixture("wled/wled_presets_0.14.0-b1_one_preset.json")),
        ("info.json", Fixture("wled/wled_json_info_0.15.4_esp32.json")));

    [Fact]
    public void Compare_FindsNothing_WhenOnlyTheBuildAndTheIdentificationDiffer()
    {
        var after = Backup
            .With("cfg.json", Edit(Backup["cfg.json"], c => (c["vid"], c["rev"]) = (2512010, new System.Text.Json.Nodes.JsonArray(1, 1))))
            .With("info.json", Edit(Backup["info.json"], i => i["uptime"] = 99999));

        Assert.Empty(WledChanges.Comparer.Compare(Zip(Backup), Zip(after)));
    }

    [Fact]
    public void Compare_NamesCfgByPath_AndPresetsByPreset()
    {
        var after = Backup
            .With("cfg.json", Edit(Backup["cfg.json"], c => c["id"]!["name"] = "Desk"))
            .With("presets.json", Edit(Backup["presets.json"], p =>
            {
                p["1"]!["seg"]![0]!["col"]![0]![0] = 1;
                p["2"] = new System.Text.Json.Nodes.JsonObject { ["n"] = "Night" };
            }));

        Assert.Equal(["~ id.name", "~ presets.json: 1", "+ presets.json: 2"], WledChanges.Comparer.Compare(Zip(Backup), Zip(after)).Lines());
    }

    [Fact]
    public void Recognizes_ItsZip_NotAShellyOne() =>
        Assert.Equal((true, false), (WledChanges.Comparer.Recognizes(Zip(Backup)), WledChanges.Comparer.Recognizes(Zip(Entries(("Shelly.GetConfig.json", Text("{}")))))));
}
