using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.Shelly;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Kinds.Shelly;

/// <summary>The pure parts of the Shelly restore: what is written, the script pieces, what may differ afterwards, what is refused.</summary>
public sealed class ShellyRestoreStepsTests
{
    // Open, Refuses and Differences read files only; nothing is sent, so no device is needed.
    private static readonly ShellyRestore Restore = new(null!, null!);

    [Fact]
    public void Restorable_WritesEachComponent_ButNeverTheNetworkScriptsPasswordsOrWhatTheDeviceFillsIn()
    {
        var config = Captured();
        config["eth"] = new JsonObject { ["enable"] = true, ["ipv4mode"] = "static" };
        config["zigbee"] = new JsonObject { ["enable"] = true };
        config["script:1"] = new JsonObject { ["id"] = 1, ["name"] = "my_script", ["enable"] = true };
        config["bthome"] = new JsonObject();
        config["mqtt"]!["pass"] = "never exported, never sent";

        var writes = ShellyComponents.Restorable(Element(config));

        Assert.Equal(
            [("ble", "BLE.SetConfig"), ("cloud", "Cloud.SetConfig"), ("input:0", "Input.SetConfig"), ("mqtt", "MQTT.SetConfig"), ("switch:0", "Switch.SetConfig"), ("sys", "Sys.SetConfig"), ("ws", "WS.SetConfig")],
            writes.Select(w => (w.Key, w.Method)));
        var byKey = writes.ToDictionary(w => w.Key, w => JsonNode.Parse(w.Config)!.AsObject());
        Assert.Equal("""{"enable":false}""", byKey["cloud"].ToJsonString());
        Assert.Equal(["device", "location", "sntp"], byKey["sys"].Select(p => p.Key));
        Assert.Equal(["name", "discoverable", "eco_mode"], byKey["sys"]["device"]!.AsObject().Select(p => p.Key));
        Assert.False(byKey["mqtt"].ContainsKey("pass"));
        Assert.False(byKey["switch:0"].ContainsKey("id"));
        Assert.Equal("60.00", byKey["switch:0"]["auto_on_delay"]!.ToJsonString());
        var switchWrite = writes.Single(w => w.Key == "switch:0");
        Assert.StartsWith("""{"id":0,"config":{"name":null,"in_mode":"follow",""", Encoding.UTF8.GetString(switchWrite.Parameters()), StringComparison.Ordinal);
        Assert.StartsWith("""{"config":{"enable":false,""", Encoding.UTF8.GetString(writes.Single(w => w.Key == "ble").Parameters()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, new[] { 0 })]
    [InlineData(1024, new[] { 1024 })]
    [InlineData(1025, new[] { 1024, 1 })]
    [InlineData(2951, new[] { 1024, 1024, 903 })]
    public void Chunks_AreAtMost1024Bytes_AndOneEmptyPieceForEmptyCode(int length, int[] pieces) =>
        Assert.Equal(pieces, ShellyRestore.Chunks(new byte[length]).Select(c => c.Length));

    [Theory]

    // "°" is two bytes and "€" three: a piece never ends between them.
    [InlineData(1023, "°", new[] { 1023, 2 })]
    [InlineData(1022, "€", new[] { 1022, 3 })]
    [InlineData(1024, "€", new[] { 1024, 3 })]
    public void Chunks_NeverEndInsideACharacter(int asciiBefore, string character, int[] pieces)
    {
        var code = Encoding.UTF8.GetBytes(new string('x', asciiBefore) + character);

        var chunks = ShellyRestore.Chunks(code).ToList();

        Assert.Equal(pieces, chunks.Select(c => c.Length));
        Assert.Equal(new string('x', asciiBefore) + character, string.Concat(chunks.Select(c => Encoding.UTF8.GetString(code, c.Start, c.Length))));
    }

    [Fact]
    public void Differences_IgnoreWhatTheDeviceFillsInAndItsOwnScriptNumbers_ButNameWhatIsNotBack()
    {
        var backup = Zip(Captured(), ("scripts/3_heating.js", "print(1);"));
        var image = Restore.Open(backup, null);

        // Restored after a factory reset: another revision and its own script number, to which the schedule now points.
        var config = Captured();
        config["sys"]!["cfg_rev"] = 99;
        config["script:1"] = new JsonObject { ["id"] = 1, ["name"] = "heating", ["enable"] = true };
        config["switch:0"]!["power_limit"] = JsonNode.Parse("4480.0");
        Assert.Null(Restore.Differences(image, Downloaded(Zip(config, ("scripts/1_heating.js", "print(1);")), jobScriptId: 1)));

        Assert.Equal("the device came back without the script `heating`", Restore.Differences(image, Downloaded(Zip(Captured()), jobScriptId: 3)));
        Assert.Equal("the device came back with another code of the script `heating` than the backup's (10 bytes, the backup's 9)", Restore.Differences(image, Downloaded(Zip(config, ("scripts/1_heating.js", "print(12);")), jobScriptId: 1)));
        Assert.Equal("the device came back with other schedules than the backup's (number 1: calls[0].params.id has another value)", Restore.Differences(image, Downloaded(Zip(config, ("scripts/1_heating.js", "print(1);")), jobScriptId: 3)));
        config["switch:0"]!["in_mode"] = "detached";
        Assert.Equal("the device came back with other switch:0 settings than the backup's (in_mode has another value)", Restore.Differences(image, Downloaded(Zip(config, ("scripts/1_heating.js", "print(1);")), jobScriptId: 1)));
    }

    [Fact]
    public void Refuses_AnotherModel_AnotherProfile_AndComponentsTheDeviceLacks()
    {
        var image = Restore.Open(Zip(Captured(), info: Info("Plus1PM", "SNSW-001P16EU")), null);
        Assert.Equal("Plus1PM", image.Platform);
        Assert.Equal("1.7.5", image.Version);

        Assert.Null(Restore.Refuses(image, Downloaded(Zip(Captured(), info: Info("Plus1PM", "SNSW-001P16EU")))));
        Assert.Equal(
            "the backup is from a Shelly Plus1PM (SNSW-001P16EU), this device is a Shelly PlusI4 (SNSN-0024X); a Shelly backup goes back only onto the same model, whose components and settings it holds",
            Restore.Refuses(image, Downloaded(Zip(Captured(), info: Info("PlusI4", "SNSN-0024X")))));
        Assert.StartsWith("the backup is from a Shelly Plus1PM (SNSW-001P16EU), this device is a Shelly Plus1PM (SNSW-001P15UL);", Restore.Refuses(image, Downloaded(Zip(Captured(), info: Info("Plus1PM", "SNSW-001P15UL")))), StringComparison.Ordinal);

        // Firmware 0.10 tells no model: the app alone decides.
        Assert.Null(Restore.Refuses(image, Downloaded(Zip(Captured(), info: Info("Plus1PM", null)))));

        var cover = Captured();
        cover["sys"]!["device"]!["profile"] = "cover";
        var switchProfile = Captured();
        switchProfile["sys"]!["device"]!["profile"] = "switch";
        Assert.Equal(
            "the backup was made in the device's switch profile and it is in its cover profile now; set it to the switch profile in its web page (Settings, Device profile) first",
            Restore.Refuses(Restore.Open(Zip(switchProfile), null), Downloaded(Zip(cover))));

        var withVirtual = Captured();
        withVirtual["number:200"] = new JsonObject { ["id"] = 200, ["name"] = "Target temperature" };
        Assert.Equal(
            "the device has no number:200, which the backup holds settings for; a restore does not create components (virtual components, add-on sensors, BTHome devices): add them on the device first",
            Restore.Refuses(Restore.Open(Zip(withVirtual), null), Downloaded(Zip(Captured()))));
    }

    private static JsonObject Captured() => FirmwareFixtures.Object(ShellyFirmware.Gen2Config);

    private static JsonObject Info(string app, string? model)
    {
        var info = FirmwareFixtures.Object("shelly/shelly_gen2_shelly_1.7.5_Plus1PM.json");
        info["app"] = app;
        if (model is null)
        {
            info.Remove("model");
        }
        else
        {
            info["model"] = model;
        }

        return info;
    }

    private static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static DownloadedBackup Downloaded(byte[] zip, int? jobScriptId = null)
    {
        if (jobScriptId is null)
        {
            return new DownloadedBackup(zip, "zip", "1.7.5");
        }

        var entries = BackupZip.Read(zip);
        var rebuilt = new BackupZip();
        foreach (var (name, content) in entries)
        {
            rebuilt.Add(name, content);
        }

        rebuilt.Add("Schedule.List.json", Encoding.UTF8.GetBytes(Job(jobScriptId.Value, id: 7).ToJsonString()));
        return new DownloadedBackup(rebuilt.ToArray(TimeProvider.System), "zip", "1.7.5");
    }

    private static JsonObject Job(long scriptId, long id) => new()
    {
        ["jobs"] = new JsonArray(new JsonObject
        {
            ["id"] = id,
            ["enable"] = true,
            ["timespec"] = "0 0 6 * * *",
            ["calls"] = new JsonArray(new JsonObject { ["method"] = "Script.Start", ["params"] = new JsonObject { ["id"] = scriptId } }),
        }),
        ["rev"] = 4,
    };

    /// <summary>A backup zip as ShellyGen2Kind writes it; the backup's own schedule starts script 3.</summary>
    private static byte[] Zip(JsonObject config, params (string Name, string Code)[] scripts) => Zip(config, null, scripts);

    private static byte[] Zip(JsonObject config, JsonObject? info, params (string Name, string Code)[] scripts)
    {
        if (scripts.Any(s => s.Name.StartsWith("scripts/3_", StringComparison.Ordinal)) && !config.ContainsKey("script:3"))
        {
            config["script:3"] = new JsonObject { ["id"] = 3, ["name"] = "heating", ["enable"] = true };
        }

        var zip = new BackupZip();
        zip.Add("Shelly.GetConfig.json", Encoding.UTF8.GetBytes(FirmwareFixtures.Write(config)));
        foreach (var (name, code) in scripts)
        {
            zip.Add(name, Encoding.UTF8.GetBytes(code));
        }

        if (scripts.Any(s => s.Name.StartsWith("scripts/3_", StringComparison.Ordinal)))
        {
            zip.Add("Schedule.List.json", Encoding.UTF8.GetBytes(Job(3, id: 1).ToJsonString()));
        }

        zip.Add("Shelly.GetDeviceInfo.json", Encoding.UTF8.GetBytes(FirmwareFixtures.Write(info ?? FirmwareFixtures.Object("shelly/shelly_gen2_shelly_1.7.5_Plus1PM.json"))));
        return zip.ToArray(TimeProvider.System);
    }
}
