using System.Text.Json.Nodes;
using TasmoGuardian.Kinds.Shelly;
using static TasmoGuardian.Tests.Kinds.Changes.ChangeTesting;

namespace TasmoGuardian.Tests.Kinds.Changes;

public sealed class ShellyChangesTests
{
    private static readonly Dictionary<string, byte[]> Gen2 = Entries(
        ("Shelly.GetConfig.json", Fixture("shelly/shelly_gen2_getconfig_1.7.5_Plus1PM.json")),
        ("scripts/1_power-monitor.js", Text("let x = 1;")),
        ("KVS.GetMany.json", Text("""{"items":[{"key":"a","etag":"e1","value":"1"},{"key":"b","etag":"e2","value":"{}"}],"offset":0,"total":2}""")),
        ("Schedule.List.json", Text("""{"jobs":[{"id":1,"enable":true,"timespec":"0 0 8 * * *","calls":[]}],"rev":4}""")),
        ("Webhook.List.json", Fixture("shelly/shelly_gen2_webhook_list_doc-fields.json")),
        ("Shelly.GetDeviceInfo.json", Fixture("shelly/shelly_gen2_shelly_1.7.5_Plus1PM.json")));

    private static readonly Dictionary<string, byte[]> Gen1 = Entries(
        ("settings.json", Fixture("shelly/shelly_gen1_settings_1.14.0_SHSW-1.json")),
        ("settings_actions.json", Fixture("shelly/shelly_gen1_settings_actions_doc.json")),
        ("shelly.json", Fixture("shelly/shelly_gen1_shelly_1.14.0_SHSW-1.json")));

    [Fact]
    public void Gen2_FindsNothing_WhenOnlyRevisionsAndTheBuildDiffer()
    {
        var after = Gen2
            .With("Shelly.GetConfig.json", Edit(Gen2["Shelly.GetConfig.json"], c => (c["sys"]!["cfg_rev"], c["sys"]!["device"]!["fw_id"]) = (15, "20260401-000000/1.8.0-gabc")))
            .With("KVS.GetMany.json", Text("""{"items":[{"key":"a","etag":"x9","value":"1"},{"key":"b","etag":"y9","value":"{}"}],"offset":0,"total":2}"""))
            .With("Schedule.List.json", Text("""{"jobs":[{"id":1,"enable":true,"timespec":"0 0 8 * * *","calls":[]}],"rev":9}"""))
            .With("Shelly.GetDeviceInfo.json", Text("{}"));

        Assert.Empty(ShellyChanges.Gen2.Compare(Zip(Gen2), Zip(after)));
    }

    [Fact]
    public void Gen2_NamesSettingsByPath_ScriptsByFile_AndListsById()
    {
        var after = Gen2
            .With("Shelly.GetConfig.json", Edit(Gen2["Shelly.GetConfig.json"], c => c["wifi"]!["sta"]!["ssid"] = "other"))
            .With("scripts/2_night-light.js", Text("print(1)"))
            .With("KVS.GetMany.json", Text("""{"items":[{"key":"a","etag":"e1","value":"2"},{"key":"c","etag":"e3","value":"0"}],"offset":0,"total":2}"""))
            .With("Webhook.List.json", Edit(Gen2["Webhook.List.json"], w => w["hooks"]![0]!["enable"] = false));

        Assert.Equal(
            ["~ wifi.sta.ssid", "~ kvs:a", "+ kvs:c", "- kvs:b", "~ webhook:1", "+ scripts/2_night-light.js"],
            ShellyChanges.Gen2.Compare(Zip(Gen2), Zip(after)).Lines());
    }

    [Fact]
    public void Gen2_ReadsKvsOfEitherShape()
    {
        var before = Gen2.With("KVS.GetMany.json", Fixture("shelly/shelly_gen2_kvs_getmany_pre1.5_map.json"));
        var after = before.With("KVS.GetMany.json", Edit(before["KVS.GetMany.json"], k => k["items"]!["scripts-library"]!["etag"] = "new"));

        Assert.Empty(ShellyChanges.Gen2.Compare(Zip(before), Zip(after)));
    }

    [Fact]
    public void Gen1_FindsNothing_WhenOnlyTheClockAndTheRelayStateDiffer()
    {
        var after = Gen1.With("settings.json", Edit(Gen1["settings.json"], s =>
        {
            (s["time"], s["unixtime"]) = ("15:01", 1741445000);
            s["relays"]![0]!["ison"] = true;
        }));

        Assert.Empty(ShellyChanges.Gen1.Compare(Zip(Gen1), Zip(after)));
    }

    [Fact]
    public void Gen1_NamesSettingsAndActionsByPath()
    {
        var after = Gen1
            .With("settings.json", Edit(Gen1["settings.json"], s => s["relays"]![0]!["default_state"] = "on"))
            .With("settings_actions.json", Edit(Gen1["settings_actions.json"], a => a["actions"]!.AsObject().First().Value![0]!["enabled"] = false));

        var changes = ShellyChanges.Gen1.Compare(Zip(Gen1), Zip(after)).Lines();

        Assert.Equal("~ relays[0].default_state", changes[0]);
        Assert.StartsWith("~ settings_actions.json: actions.", changes[1], StringComparison.Ordinal);
        Assert.Equal(2, changes.Count);
    }

    [Fact]
    public void EachGeneration_RecognizesOnlyItsOwnZip() =>
        Assert.Equal((true, false, true, false), (ShellyChanges.Gen2.Recognizes(Zip(Gen2)), ShellyChanges.Gen2.Recognizes(Zip(Gen1)), ShellyChanges.Gen1.Recognizes(Zip(Gen1)), ShellyChanges.Gen1.Recognizes(Zip(Gen2))));
}
