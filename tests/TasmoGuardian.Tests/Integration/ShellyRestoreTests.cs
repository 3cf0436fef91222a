using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// Shelly restores against fakes that answer the write methods as the firmware does (digest auth, Script.PutCode in
/// pieces with <c>append</c> and the whole length as <c>len</c>, <c>restart_required</c>): Gen2 and later go back onto
/// the same model, verified after the restart; another model and Gen1 are refused before anything is written.
/// </summary>
public sealed class ShellyRestoreTests : FileKindTestContext
{
    private static readonly string[] Reads = ["Shelly.GetDeviceInfo", "Shelly.GetStatus", "Shelly.GetConfig", "Script.List", "Script.GetCode", "KVS.GetMany", "Schedule.List", "Webhook.List"];

    [Fact]
    public async Task Gen2_AfterAFactoryReset_GetsScriptsKvsSchedulesWebhooksAndSettingsBack_AndIsVerified()
    {
        var shelly = Own(FakeShelly.Start());
        shelly.Password = "s3cret";

        // Script.GetCode counts bytes; what the firmware sends when a piece ends inside a character is not known, so
        // the backup reads this script in pieces that end elsewhere.
        shelly.ChunkSize = 2048;
        var heatingCode = HeatingScript();
        var heating = shelly.AddScript("heating °C", heatingCode, enable: true);
        shelly.RemoveScript(2);
        shelly.SetKvs("target", JsonValue.Create(21.5));
        shelly.SetKvs("rooms", new JsonObject { ["bath"] = new JsonArray(19, 22) });
        shelly.Schedules["jobs"]!.AsArray().Add(new JsonObject
        {
            ["id"] = 3,
            ["enable"] = true,
            ["timespec"] = "0 0 6 * * MON,TUE,WED,THU,FRI",
            ["calls"] = new JsonArray(new JsonObject { ["method"] = "Script.Start", ["params"] = new JsonObject { ["id"] = heating } }),
        });
        shelly.Name = "Boiler room";
        (shelly.Config["switch:0"]!["name"], shelly.Config["switch:0"]!["auto_off"], shelly.Config["switch:0"]!["auto_off_delay"]) = ("Boiler", true, 1800.0);
        shelly.Config["sys"]!["location"]!["tz"] = "Europe/Berlin";
        (shelly.Config["mqtt"]!["enable"], shelly.Config["mqtt"]!["server"], shelly.Config["mqtt"]!["user"]) = (true, "192.168.1.2:1883", "boiler");
        (shelly.Config["cloud"]!["enable"], shelly.Config["ble"]!["enable"]) = (true, true);
        await using var app = await StartWithAsync(shelly.Host, DeviceType.ShellyGen2, "s3cret");
        await WaitForConfigAsync(shelly.Mac);
        var backup = await BackUpAsync(shelly.Mac);
        var backedUp = (Config: shelly.Config.DeepClone(), Kvs: shelly.Kvs.DeepClone(), Jobs: shelly.Schedules["jobs"]!.DeepClone(), Hooks: shelly.Webhooks["hooks"]!.DeepClone(), Code: new Dictionary<long, string>(shelly.ScriptCode));

        // Reset to factory settings and joined to another Wi-Fi: no name, scripts, KVS, schedules or webhooks.
        shelly.FactoryReset();
        shelly.Config["wifi"]!["sta"]!["ssid"] = "new-network";
        var callsBefore = shelly.Calls.Count;

        var done = await RestoreAsync(shelly.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.NotNull(done["pre_restore_backup"]);

        // Scripts by name, numbered afresh by the device, each whole, enabled as they were; the enabled one runs after the restart.
        Assert.Equal(["my_script", "heating °C"], shelly.Scripts.Select(s => (string?)s!["name"]));
        var ids = shelly.Scripts.ToDictionary(s => (string)s!["name"]!, s => (long)s!["id"]!);
        Assert.Equal(backedUp.Code[1], shelly.ScriptCode[ids["my_script"]]);
        Assert.Equal(heatingCode, shelly.ScriptCode[ids["heating °C"]]);
        Assert.Equal([false, true], shelly.Scripts.Select(s => (bool)s!["enable"]!));
        Assert.Equal([false, true], shelly.Scripts.Select(s => (bool)s!["running"]!));

        // KVS items, schedules (the script call pointed at the script's new id) and webhooks, by content.
        Assert.Equal(backedUp.Kvs.AsArray().Select(i => ((string?)i!["key"], i["value"]?.ToJsonString())), shelly.Kvs.Select(i => ((string?)i!["key"], i["value"]?.ToJsonString())));
        var jobs = backedUp.Jobs.AsArray().Select(j => WithoutId(j!)).ToList();
        jobs[2]!["calls"]![0]!["params"]!["id"] = ids["heating °C"];
        Assert.Equal(jobs.Select(j => j.ToJsonString()), shelly.Schedules["jobs"]!.AsArray().Select(j => WithoutId(j!).ToJsonString()));
        Assert.Equal(backedUp.Hooks.AsArray().Select(h => WithoutId(h!).ToJsonString()), shelly.Webhooks["hooks"]!.AsArray().Select(h => WithoutId(h!).ToJsonString()));

        // The settings, but never the network: the device keeps the Wi-Fi it was joined to.
        foreach (var key in new[] { "switch:0", "input:0", "mqtt", "ble", "ws" })
        {
            Assert.True(JsonNode.DeepEquals(backedUp.Config[key], shelly.Config[key]), key);
        }

        Assert.Equal(("Boiler room", "Europe/Berlin", true), (shelly.Name, (string?)shelly.Config["sys"]!["location"]!["tz"], (bool?)shelly.Config["cloud"]!["enable"]));
        Assert.Equal("new-network", (string?)shelly.Config["wifi"]!["sta"]!["ssid"]);

        // What was sent: settings without device-filled fields or passwords, code in pieces of at most 1024 bytes, lists
        // without ids, one restart at the end, every write behind Digest.
        var calls = shelly.Calls.Skip(callsBefore).ToList();
        var writes = calls.Where(c => !Reads.Contains(c.Method)).ToList();
        Assert.DoesNotContain(writes, c => c.Method.StartsWith("WiFi.", StringComparison.OrdinalIgnoreCase) || c.Method.StartsWith("Eth.", StringComparison.OrdinalIgnoreCase) || c.Method.Equals("Shelly.SetAuth", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(writes, c => c.Parameters.ToJsonString().Contains("\"pass\"", StringComparison.Ordinal));
        Assert.Equal("""{"config":{"enable":true}}""", Single(writes, "Cloud.SetConfig").ToJsonString());
        Assert.Equal(["name", "discoverable", "eco_mode"], Single(writes, "Sys.SetConfig")["config"]!["device"]!.AsObject().Select(p => p.Key));
        var pieces = writes.Where(c => c.Method == "Script.PutCode" && (long)c.Parameters["id"]! == ids["heating °C"]).ToList();
        Assert.True(pieces.Count >= 3, $"{pieces.Count} pieces");
        Assert.All(pieces, p => Assert.InRange(Encoding.UTF8.GetByteCount((string)p.Parameters["code"]!), 1, 1024));
        Assert.Equal([false, .. Enumerable.Repeat(true, pieces.Count - 1)], pieces.Select(p => (bool)p.Parameters["append"]!));
        Assert.Equal(1023, ((string)pieces[0].Parameters["code"]!).Length);
        Assert.All(writes.Where(c => c.Method is "Schedule.Create" or "Webhook.Create"), c => Assert.False(c.Parameters.ContainsKey("id")));
        Assert.Equal("Shelly.Reboot", writes[^1].Method);
        Assert.Equal(1, shelly.Restarts);
        Assert.All(shelly.Requests.Where(r => r.Method == "POST" && r.Header("Authorization") is not null), r => Assert.StartsWith("Digest ", r.Header("Authorization"), StringComparison.Ordinal));
        Assert.DoesNotContain(shelly.Requests, r => r.Header("Authorization")?.StartsWith("Basic", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Gen2_OntoItself_WritesOnlyWhatDiffers_StopsARunningScriptFirst_AndLeavesWhatTheBackupLacksAlone()
    {
        var shelly = Own(FakeShelly.Start());

        // The firmware whose "len" is the piece's length, as one uploader reads it: taken too.
        shelly.Behavior = ShellyBehavior.PutCodeAnswersPieceLength;
        await using var app = await StartWithAsync(shelly.Host, DeviceType.ShellyGen2, null);
        await WaitForConfigAsync(shelly.Mac);
        var backup = await BackUpAsync(shelly.Mac);
        var code = shelly.ScriptCode[1];

        shelly.ScriptCode[1] = "print('changed');\n";
        shelly.SetKvs("scripts-library", JsonValue.Create("changed"));
        shelly.SetKvs("added later", JsonValue.Create(1));
        var added = shelly.AddScript("added later", "print(1);\n", enable: true);
        shelly.Config["switch:0"]!["name"] = "Renamed";
        var callsBefore = shelly.Calls.Count;

        var done = await RestoreAsync(shelly.Mac, backup);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(code, shelly.ScriptCode[1]);
        Assert.Null((string?)shelly.Config["switch:0"]!["name"]);
        Assert.Equal("print(1);\n", shelly.ScriptCode[added]);
        Assert.Contains(shelly.Kvs, i => (string?)i!["key"] == "added later");
        var writes = shelly.Calls.Skip(callsBefore).Where(c => !Reads.Contains(c.Method)).Select(c => c.Method).ToList();

        // my_script was running (the docs' Script.List): stopped before its code is replaced.
        Assert.Equal(["Switch.SetConfig", "Script.Stop", "Script.PutCode", "Script.PutCode", "Script.PutCode", "KVS.Set", "Shelly.Reboot"], writes);
    }

    [Fact]
    public async Task Gen2_OntoAReplacementOfTheSameModel_Succeeds_OntoAnotherModel_IsRefusedBeforeAnyWrite()
    {
        var broken = Own(FakeShelly.Start());
        var spare = Own(FakeShelly.Start());
        var other = Own(FakeShelly.Start(ShellyFirmware.Gen3));
        broken.Config["switch:0"]!["name"] = "Pump";
        await using var app = await StartWithAsync(
            new TasmoGuardian.Configuration.DeviceOption(broken.Host, DeviceType.ShellyGen2, "Broken", null),
            new TasmoGuardian.Configuration.DeviceOption(spare.Host, DeviceType.ShellyGen2, "Spare", null),
            new TasmoGuardian.Configuration.DeviceOption(other.Host, DeviceType.ShellyGen2, "Other", null));
        await WaitForConfigAsync(spare.Mac);
        await WaitForConfigAsync(other.Mac);
        await BackUpAsync(broken.Mac);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{broken.Mac}}","backup":"latest","target":"{{other.Mac}}"}""");
        var refused = await RestoreEndAsync();

        Assert.Equal("restore_failed", (string?)refused["event_type"]);
        Assert.Equal("the backup is from a Shelly Plus1PM (SNSW-001P16EU), this device is a Shelly S1PMG3 (S3SW-001P16EU); a Shelly backup goes back only onto the same model, whose components and settings it holds", (string?)refused["reason"]);
        Assert.All(other.Calls, c => Assert.Contains(c.Method, Reads));
        Assert.DoesNotContain(other.Requests, r => r.Method == "POST");
        Assert.Equal(0, other.Restarts);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{broken.Mac}}","backup":"latest","target":"{{spare.Mac}}"}""");
        var done = await RestoreEndAsync(2);

        Assert.True((string?)done["event_type"] == "restore_succeeded", (string?)done["reason"]);
        Assert.Equal(spare.Mac, (string?)done["target"]);
        Assert.Equal("Pump", (string?)spare.Config["switch:0"]!["name"]);
        Assert.Equal(broken.ScriptCode[1], spare.ScriptCode[1]);
        Assert.Equal(spare.Mac, (string?)spare.Config["sys"]!["device"]!["mac"]);
    }

    [Fact]
    public async Task Gen2_ThatKeepsOnlyPartOfAScript_FailsSayingHowMuch_AndWhatIsAlreadyRestored()
    {
        var shelly = Own(FakeShelly.Start());
        await using var app = await StartWithAsync(shelly.Host, DeviceType.ShellyGen2, null);
        await WaitForConfigAsync(shelly.Mac);
        var backup = await BackUpAsync(shelly.Mac);
        shelly.FactoryReset();
        shelly.Behavior = ShellyBehavior.PutCodeKeepsShort;

        var failed = await RestoreAsync(shelly.Mac, backup);

        Assert.Equal("restore_failed", (string?)failed["event_type"]);
        Assert.Equal("the device kept 512 bytes of the script where 1024 were sent, while restoring the script `my_script` (what came before it is already restored: restore the pre-restore backup to undo it)", (string?)failed["reason"]);
        Assert.Equal(0, shelly.Restarts);
    }

    [Fact]
    public async Task AGen1Backup_OntoAGen2_IsRefused_NamingBothGenerations()
    {
        var old = Own(FakeShelly.Start(generation: 1));
        var plus = Own(FakeShelly.Start());
        await using var app = await StartWithAsync(
            new TasmoGuardian.Configuration.DeviceOption(old.Host, DeviceType.ShellyGen2, "Old relay", null),
            new TasmoGuardian.Configuration.DeviceOption(plus.Host, DeviceType.ShellyGen2, "New relay", null));
        await WaitForConfigAsync(plus.Mac);
        await BackUpAsync(old.Mac);

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{old.Mac}}","backup":"latest","target":"{{plus.Mac}}"}""");

        var refused = await RestoreEndAsync();
        Assert.Equal("a backup of a Shelly Gen1 device cannot go onto a Shelly Gen2 (or later) device", (string?)refused["reason"]);
        Assert.DoesNotContain(plus.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Gen1_IsRefusedWithItsReason_TouchesNothing_AndHasNoRestoreEntities()
    {
        var shelly = Own(FakeShelly.Start(generation: 1));
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = [new TasmoGuardian.Configuration.DeviceOption(shelly.Host, DeviceType.ShellyGen2, null, null)] };
        await using var app = await StartAppAsync(options);
        var config = Json(await WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{shelly.Mac.ToLowerInvariant()}/config", c => c["device"] is not null, "the Gen1 config"));
        Assert.Null(config["components"]!["restore"]);
        Assert.Null(config["components"]!["restore_source"]);
        await BackUpAsync(shelly.Mac);
        var requests = shelly.Requests.Count;

        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{shelly.Mac}}"}""");

        var failed = await RestoreEndAsync();
        Assert.Equal("restore_failed", (string?)failed["event_type"]);
        Assert.Equal("Shelly devices cannot be restored by Tasmo Guardian: only Gen2 and later Shellys are, and this one is a Gen1, whose restore would be a series of model-specific /settings calls; the backup's settings.json shows every setting to make again in the device's web page", (string?)failed["reason"]);
        Assert.Equal(requests, shelly.Requests.Count);
    }

    /// <summary>A script of three pieces whose first 1024 bytes end inside "°", with the characters JSON and HTML escape.</summary>
    private static string HeatingScript()
    {
        var code = new StringBuilder(string.Concat(Enumerable.Repeat("print('x');\n", 85))).Append("///°C\n");
        while (code.Length < 2600)
        {
            code.Append("if (t < 21.5 && on !== true) { Shelly.call(\"Switch.Set\", {id: 0, on: true}); print(\"\\\\ on\"); }\n");
        }

        return code.ToString();
    }

    private static JsonObject WithoutId(JsonNode entry)
    {
        var copy = entry.DeepClone().AsObject();
        copy.Remove("id");
        return copy;
    }

    private static JsonObject Single(IEnumerable<(string Method, JsonObject Parameters)> calls, string method) =>
        Assert.Single(calls, c => c.Method == method).Parameters;
}
