using System.Text.Json;
using System.Text.Json.Nodes;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Files;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.HomeAssistant;

namespace TasmoGuardian.Tests.HomeAssistant;

/// <summary>Every payload against the discovery rules of research/home-assistant.md §2 and the contract's table.</summary>
public sealed class DiscoveryPayloadsTests
{
    private static readonly HomeAssistantTopics Topics = new(new GuardianOptions());
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] DeviceKeys =
        ["identifiers", "connections", "manufacturer", "model", "model_id", "name", "hw_version", "serial_number", "sw_version", "via_device", "suggested_area", "configuration_url"];

    private static readonly Dictionary<string, string[]> RequiredByPlatform = new()
    {
        ["button"] = ["command_topic"],
        ["sensor"] = ["state_topic"],
        ["binary_sensor"] = ["state_topic"],
        ["event"] = ["state_topic", "event_types"],
        ["switch"] = ["command_topic", "state_topic"],
        ["select"] = ["command_topic", "state_topic", "options"],
    };

    private static readonly BackupChoice[] Choices =
    [
        new("Kitchen plug/A1B2C3D4E5F6-2026-11-22_03_00_05-v13.1.0.dmp", "2026-11-22 03:00:05 v13.1.0"),
        new("Kitchen plug/A1B2C3D4E5F6-2026-11-21_03_00_04-v13.1.0.dmp", "2026-11-21 03:00:04 v13.1.0"),
    ];

    private static readonly Device Tasmota = new()
    {
        Id = 1,
        Mac = Mac.Parse("A1B2C3D4E5F6"),
        Name = "Kitchen plug",
        Type = DeviceType.Tasmota,
        Ip = "192.168.1.50",
        Version = "13.1.0",
        Model = "Sonoff Basic",
        Platform = "ESP8266",
        KindData = new TasmotaTopic("kitchen", TasmotaTopic.DefaultFullTopic).Encode(),
    };

    private static readonly Device Wled = new() { Id = 2, Mac = Mac.Parse("C8C9A3000001"), Name = "Desk", Type = DeviceType.Wled };

    public static TheoryData<string> PayloadNames => new(["hub", "tasmota", "wled"]);

    [Theory]
    [MemberData(nameof(PayloadNames))]
    public void Payload_FollowsTheDeviceDiscoveryRules(string which)
    {
        var payload = Json(which);

        // Device-based discovery: device, origin and components; availability is our status topic.
        Assert.NotNull(payload["device"]);
        Assert.Equal("Tasmo Guardian", (string?)payload["origin"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)payload["origin"]!["sw_version"]));
        Assert.StartsWith("https://", (string?)payload["origin"]!["support_url"], StringComparison.Ordinal);
        Assert.Equal("tasmo_guardian/status", (string?)payload["availability"]!.AsArray().Single()!["topic"]);

        // The device block is strict in Home Assistant: only known keys, a name, an identifier.
        var device = payload["device"]!.AsObject();
        Assert.All(device.Select(p => p.Key), key => Assert.Contains(key, DeviceKeys));
        Assert.False(string.IsNullOrWhiteSpace((string?)device["name"]));
        Assert.NotEmpty(device["identifiers"]!.AsArray());

        foreach (var (key, value) in payload["components"]!.AsObject())
        {
            var component = value!.AsObject();
            var platform = (string)component["platform"]!;
            Assert.True(RequiredByPlatform.ContainsKey(platform), $"{key}: {platform}");
            foreach (var required in RequiredByPlatform[platform])
            {
                Assert.True(component.ContainsKey(required), $"{key} lacks {required}");
            }

            Assert.StartsWith("tasmo_guardian_", (string)component["unique_id"]!, StringComparison.Ordinal);
            Assert.Equal($"{platform}.{component["unique_id"]}", (string)component["default_entity_id"]!);
            Assert.False(component.ContainsKey("object_id"), key);

            // Short names: never the device's name again.
            var name = (string)component["name"]!;
            Assert.DoesNotContain((string)device["name"]!, name, StringComparison.Ordinal);

            // Home Assistant refuses sensors in the config category; controls may be config.
            if (component["entity_category"] is { } category)
            {
                Assert.Contains((string?)category, (string[])(platform is "sensor" or "binary_sensor" ? ["diagnostic"] : ["diagnostic", "config"]));
            }

            if (component["icon"] is { } icon)
            {
                Assert.Matches("^[^:]+:[^:]+$", (string)icon!);
            }

            if (component["value_template"] is { } template)
            {
                Assert.Matches(platform is "binary_sensor" or "switch"
                    ? @"^\{\{ 'ON' if value_json\.[a-z_]+ else 'OFF' \}\}$"
                    : @"^\{\{ value_json\.[a-z_]+ \}\}$", (string)template!);
            }

            var deviceClass = (string?)component["device_class"];
            if (deviceClass is "timestamp" or "enum" or "date")
            {
                Assert.False(component.ContainsKey("unit_of_measurement"), key);
                Assert.False(component.ContainsKey("state_class"), key);
            }

            if (component.ContainsKey("options"))
            {
                Assert.Equal(platform == "select" ? null : "enum", deviceClass);
                Assert.NotEmpty(component["options"]!.AsArray());
            }

            if (deviceClass == "data_size")
            {
                Assert.Equal("B", (string?)component["unit_of_measurement"]);
            }

            foreach (var topicKey in component.Where(p => p.Key.EndsWith("_topic", StringComparison.Ordinal)).Select(p => (string)p.Value!))
            {
                Assert.True(TasmoGuardian.Mqtt.TopicFilter.IsValidTopicName(topicKey), topicKey);
            }
        }
    }

    [Fact]
    public void Hub_HasTheContractsComponents()
    {
        var components = Json("hub")["components"]!.AsObject();

        Assert.Equal(
            ["backup_all", "refresh", "running", "progress", "last_run", "backed_up", "skipped", "failed", "devices", "event", "problem"],
            components.Select(p => p.Key));
        Assert.Equal(
            ["tasmo_guardian_backup_all", "tasmo_guardian_refresh", "tasmo_guardian_running", "tasmo_guardian_progress", "tasmo_guardian_last_run",
             "tasmo_guardian_backed_up", "tasmo_guardian_skipped", "tasmo_guardian_failed", "tasmo_guardian_devices", "tasmo_guardian_event",
             "tasmo_guardian_problem"],
            components.Select(p => (string)p.Value!["unique_id"]!));
        Assert.Equal("running", (string?)components["running"]!["device_class"]);
        Assert.Equal("%", (string?)components["progress"]!["unit_of_measurement"]);
        Assert.Equal("timestamp", (string?)components["last_run"]!["device_class"]);
        Assert.Equal(["backup_succeeded", "backup_failed", "backup_all_finished", "restore_succeeded", "restore_failed"], components["event"]!["event_types"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(("problem", "tasmo_guardian/hub/attributes"), ((string?)components["problem"]!["device_class"], (string?)components["problem"]!["json_attributes_topic"]));
    }

    [Fact]
    public void Device_HasTheContractsComponentsAndDeviceBlock()
    {
        var payload = Json("tasmota");
        var components = payload["components"]!.AsObject();
        var device = payload["device"]!;

        Assert.Equal(["backup", "last_backup", "backups", "last_result", "version", "backup_size", "problem", "include", "restore_source", "restore", "last_restore"], components.Select(p => p.Key));
        Assert.Equal(
            ["tasmo_guardian_a1b2c3d4e5f6_backup", "tasmo_guardian_a1b2c3d4e5f6_last_backup", "tasmo_guardian_a1b2c3d4e5f6_backups",
             "tasmo_guardian_a1b2c3d4e5f6_last_result", "tasmo_guardian_a1b2c3d4e5f6_version", "tasmo_guardian_a1b2c3d4e5f6_backup_size",
             "tasmo_guardian_a1b2c3d4e5f6_problem", "tasmo_guardian_a1b2c3d4e5f6_include", "tasmo_guardian_a1b2c3d4e5f6_restore_source",
             "tasmo_guardian_a1b2c3d4e5f6_restore", "tasmo_guardian_a1b2c3d4e5f6_last_restore"],
            components.Select(p => (string)p.Value!["unique_id"]!));
        Assert.Equal(["2026-11-22 03:00:05 v13.1.0", "2026-11-21 03:00:04 v13.1.0"], components["restore_source"]!["options"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(("select", "config", "tasmo_guardian/device/a1b2c3d4e5f6/restore_source/set"), ((string?)components["restore_source"]!["platform"], (string?)components["restore_source"]!["entity_category"], (string?)components["restore_source"]!["command_topic"]));
        Assert.Equal(("button", "config", false, "tasmo_guardian/device/a1b2c3d4e5f6/restore"), ((string?)components["restore"]!["platform"], (string?)components["restore"]!["entity_category"], (bool?)components["restore"]!["enabled_by_default"], (string?)components["restore"]!["command_topic"]));
        Assert.Equal(["success", "failed", "never", "running"], components["last_restore"]!["options"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(("diagnostic", "tasmo_guardian/device/a1b2c3d4e5f6/restore_attributes"), ((string?)components["last_restore"]!["entity_category"], (string?)components["last_restore"]!["json_attributes_topic"]));
        Assert.Equal(["success", "failed", "never"], components["last_result"]!["options"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("tasmo_guardian/device/a1b2c3d4e5f6/attributes", (string?)components["last_result"]!["json_attributes_topic"]);
        Assert.Equal("diagnostic", (string?)components["version"]!["entity_category"]);
        Assert.Equal("diagnostic", (string?)components["backup_size"]!["entity_category"]);
        Assert.Equal("data_size", (string?)components["backup_size"]!["device_class"]);
        Assert.Equal("tasmo_guardian/device/a1b2c3d4e5f6/backup", (string?)components["backup"]!["command_topic"]);
        Assert.Null(components["backup"]!["payload_press"]);
        Assert.Equal(("switch", "config", "tasmo_guardian/device/a1b2c3d4e5f6/include/set"), ((string?)components["include"]!["platform"], (string?)components["include"]!["entity_category"], (string?)components["include"]!["command_topic"]));
        Assert.Equal(("problem", "tasmo_guardian/device/a1b2c3d4e5f6/attributes"), ((string?)components["problem"]!["device_class"], (string?)components["problem"]!["json_attributes_topic"]));

        Assert.Equal("tasmo_guardian_a1b2c3d4e5f6", (string?)device["identifiers"]![0]);
        Assert.Equal("[[\"mac\",\"a1:b2:c3:d4:e5:f6\"]]", device["connections"]!.ToJsonString());
        // Since Home Assistant 2026.8 the Tasmota integration shows the same device on its own: ours says what it is.
        Assert.Equal(("Kitchen plug", "Tasmota", "Tasmo Guardian backup of Sonoff Basic", "13.1.0", "ESP8266"), ((string?)device["name"], (string?)device["manufacturer"], (string?)device["model"], (string?)device["sw_version"], (string?)device["hw_version"]));
        Assert.Equal("http://192.168.1.50/", (string?)device["configuration_url"]);
        Assert.Equal("tasmo_guardian", (string?)device["via_device"]);
    }

    [Fact]
    public void Device_LeavesOutWhatIsNotKnown()
    {
        var device = Json("wled")["device"]!.AsObject();

        Assert.False(device.ContainsKey("configuration_url"));
        Assert.False(device.ContainsKey("sw_version"));
        Assert.Equal(("WLED", "Tasmo Guardian backup of WLED"), ((string?)device["manufacturer"], (string?)device["model"]));
        Assert.False(device.ContainsKey("hw_version"));
    }

    [Fact]
    public void UniqueIds_AreUniqueAcrossEverythingWePublish()
    {
        var devices = Enumerable.Range(1, 50).Select(i => Tasmota with { Mac = Mac.Parse($"A1B2C3D4{i:X4}") });
        var ids = devices.Select(d => DiscoveryPayloads.Device(d, Topics, "1.0.0", "Tasmota", Choices)).Append(DiscoveryPayloads.Hub(Topics, "1.0.0"))
            .SelectMany(p => p.Components.Values.Select(c => c.UniqueId))
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void States_ShowNotYetValues_BeforeAnyBackup()
    {
        var hub = JsonSerializer.Serialize(DiscoveryPayloads.HubState(HubStatus.Never, 3, problem: false), HomeAssistantJsonContext.Relaxed.HubStatePayload);
        var device = JsonSerializer.Serialize(DiscoveryPayloads.DeviceState(Tasmota, Now, 7), HomeAssistantJsonContext.Relaxed.DeviceStatePayload);
        var attributes = JsonSerializer.Serialize(DiscoveryPayloads.DeviceAttributes(Tasmota, Now, 7), HomeAssistantJsonContext.Relaxed.DeviceAttributesPayload);

        Assert.Equal("""{"running":false,"progress":0,"last_run":null,"backed_up":0,"skipped":0,"failed":0,"devices":3,"problem":false}""", hub);
        Assert.Equal("""{"last_backup":null,"backups":0,"last_result":"never","version":"13.1.0","backup_size":null,"include":true,"problem":false,"last_restore":"never","restore_source":"none"}""", device);
        Assert.Equal("""{"reason":null,"problem":null,"last_attempt":null,"ip":"192.168.1.50","mac":"A1B2C3D4E5F6"}""", attributes);
    }

    [Fact]
    public void States_CarryTimestampsWithAnOffset_AndTheFailureReason()
    {
        var failed = Tasmota with
        {
            LastBackup = new DateTimeOffset(2026, 11, 22, 3, 0, 5, TimeSpan.FromHours(1)),
            NoOfBackups = 4,
            LastBackupSize = 4096,
            LastResult = BackupResultState.Failed,
            LastReason = "wrong password (HTTP 401)",
            Include = false,
        };

        var state = JsonSerializer.Serialize(DiscoveryPayloads.DeviceState(failed, Now, 7), HomeAssistantJsonContext.Relaxed.DeviceStatePayload);
        var attributes = JsonNode.Parse(JsonSerializer.Serialize(DiscoveryPayloads.DeviceAttributes(failed, Now, 7), HomeAssistantJsonContext.Relaxed.DeviceAttributesPayload))!;

        Assert.Equal("""{"last_backup":"2026-11-22T02:00:05+00:00","backups":4,"last_result":"failed","version":"13.1.0","backup_size":4096,"include":false,"problem":true,"last_restore":"never","restore_source":"none"}""", state);
        Assert.Equal("wrong password (HTTP 401)", (string?)attributes["reason"]);
        Assert.Equal("the last backup failed: wrong password (HTTP 401)", (string?)attributes["problem"]);
    }

    [Fact]
    public void HubProblem_ListsOnlyIncludedDevicesWithAProblem_ByName()
    {
        var devices = new[]
        {
            Tasmota with { Name = "Zeta", Mac = Mac.Parse("A1B2C3D40001"), LastResult = BackupResultState.Failed, LastReason = "x" },
            Tasmota with { Name = "alpha", Mac = Mac.Parse("A1B2C3D40002"), LastBackup = Now.AddDays(-8) },
            Tasmota with { Name = "Fine", Mac = Mac.Parse("A1B2C3D40003"), LastBackup = Now.AddDays(-1) },
            Tasmota with { Name = "Retired", Mac = Mac.Parse("A1B2C3D40004"), LastResult = BackupResultState.Failed, Include = false },
            Tasmota with { Name = "Deleted", Mac = Mac.Parse("A1B2C3D40005"), LastResult = BackupResultState.Failed, HiddenInHomeAssistant = true },
        };

        var problems = DiscoveryPayloads.HubAttributes(devices, Now, 7);

        Assert.Equal(["alpha", "Zeta"], problems.Devices);
        Assert.Equal("""{"devices":["alpha","Zeta"],"storage":null,"unidentified":[],"unsupported":[]}""", JsonSerializer.Serialize(problems, HomeAssistantJsonContext.Relaxed.HubAttributesPayload));
    }

    [Fact]
    public void Events_HaveATypeFromTheList_AndOnlyTheirKeys()
    {
        var ok = new BackupOutcome(Tasmota, BackupOutcomeKind.Succeeded, null, new SavedBackup("Kitchen plug/x.dmp", 4096, "ab"))
        {
            Comparison = BackupComparison.Of(["FriendlyName1", "Rule2"], "Kitchen plug/w.dmp"),
        };
        var unchanged = ok with
        {
            File = new SavedBackup("Kitchen plug/w.dmp", 4096, "ab") { IsNew = false },
            Comparison = BackupComparison.Of([], "Kitchen plug/w.dmp"),
        };
        var first = ok with { Comparison = BackupComparison.NotKnown("this is the device's first backup") };
        var failed = BackupOutcome.Failed(Tasmota, new DeviceFailure(FailureKind.Timeout, "no complete answer within 30 s"));
        var finished = new HubStatus(false, 100, DateTimeOffset.UnixEpoch, 3, 1, 2);

        Assert.Equal("""{"event_type":"backup_succeeded","device":"Kitchen plug","mac":"A1B2C3D4E5F6","file":"Kitchen plug/x.dmp","size":4096,"stored":true,"changed":true,"changes":["FriendlyName1","Rule2"],"more":0,"compared_with":"Kitchen plug/w.dmp","changes_unknown":null}""", Serialize(DiscoveryPayloads.BackupSucceeded(ok)));
        Assert.Equal("""{"event_type":"backup_succeeded","device":"Kitchen plug","mac":"A1B2C3D4E5F6","file":"Kitchen plug/w.dmp","size":4096,"stored":false,"changed":false,"changes":[],"more":0,"compared_with":"Kitchen plug/w.dmp","changes_unknown":null}""", Serialize(DiscoveryPayloads.BackupSucceeded(unchanged)));
        Assert.Equal("""{"event_type":"backup_succeeded","device":"Kitchen plug","mac":"A1B2C3D4E5F6","file":"Kitchen plug/x.dmp","size":4096,"stored":true,"changed":null,"changes":[],"more":0,"compared_with":null,"changes_unknown":"this is the device's first backup"}""", Serialize(DiscoveryPayloads.BackupSucceeded(first)));
        Assert.Equal("""{"event_type":"backup_failed","device":"Kitchen plug","mac":"A1B2C3D4E5F6","reason":"no complete answer within 30 s"}""", Serialize(DiscoveryPayloads.BackupFailed(failed)));
        Assert.Equal("""{"event_type":"backup_all_finished","backed_up":3,"skipped":1,"failed":2}""", Serialize(DiscoveryPayloads.RunFinished(finished)));
    }

    [Fact]
    public void RestoreEvents_CarryEveryKey_WithANullReasonOnSuccess()
    {
        var replacement = Tasmota with { Mac = Mac.Parse("A1B2C3D4E5F7"), Name = "New plug" };
        var ok = new RestoreOutcome(replacement, Tasmota, "Kitchen plug/x.dmp", null, "New plug/y.dmp", Now);
        var failed = new RestoreOutcome(Tasmota, Tasmota, "Kitchen plug/x.dmp", new DeviceFailure(FailureKind.RestoreRefused, "the backup is from an ESP32, this device is an ESP8266"), "Kitchen plug/z.dmp", Now);

        Assert.Equal(
            """{"event_type":"restore_succeeded","device":"Kitchen plug","mac":"A1B2C3D4E5F6","backup":"Kitchen plug/x.dmp","target":"A1B2C3D4E5F7","reason":null,"pre_restore_backup":"New plug/y.dmp"}""",
            JsonSerializer.Serialize(DiscoveryPayloads.RestoreEvent(ok), HomeAssistantJsonContext.Relaxed.RestoreEventPayload));
        Assert.Equal(
            """{"event_type":"restore_failed","device":"Kitchen plug","mac":"A1B2C3D4E5F6","backup":"Kitchen plug/x.dmp","target":"A1B2C3D4E5F6","reason":"the backup is from an ESP32, this device is an ESP8266","pre_restore_backup":"Kitchen plug/z.dmp"}""",
            JsonSerializer.Serialize(DiscoveryPayloads.RestoreEvent(failed), HomeAssistantJsonContext.Relaxed.RestoreEventPayload));
    }

    [Fact]
    public void RestoreSource_IsTheSelectedBackup_ElseTheNewest_ElseNone()
    {
        Assert.Equal("2026-11-21 03:00:04 v13.1.0", DiscoveryPayloads.RestoreSource(Choices, Choices[1].FileName));
        Assert.Equal("2026-11-22 03:00:05 v13.1.0", DiscoveryPayloads.RestoreSource(Choices, null));
        Assert.Equal("2026-11-22 03:00:05 v13.1.0", DiscoveryPayloads.RestoreSource(Choices, "pruned long ago.dmp"));
        Assert.Equal("none", DiscoveryPayloads.RestoreSource([], null));
    }

    [Fact]
    public void KindsWithoutRestore_GetNoRestoreEntities()
    {
        var components = JsonNode.Parse(JsonSerializer.Serialize(DiscoveryPayloads.Device(Wled, Topics, "0.1.0", "WLED", null), HomeAssistantJsonContext.Relaxed.DiscoveryPayload))!["components"]!.AsObject();

        Assert.DoesNotContain("restore", components.Select(p => p.Key));
        Assert.DoesNotContain("restore_source", components.Select(p => p.Key));
        Assert.DoesNotContain("last_restore", components.Select(p => p.Key));
    }

    [Fact]
    public void Hub_LinksToTheAppsPageInHomeAssistant_WhenTheSlugIsKnown()
    {
        var payload = JsonNode.Parse(JsonSerializer.Serialize(DiscoveryPayloads.Hub(Topics, "1.0.0", HubLink.For("a0d7b954_tasmo_guardian").ConfigurationUrl), HomeAssistantJsonContext.Relaxed.DiscoveryPayload))!;

        Assert.Equal("homeassistant://hassio/addon/a0d7b954_tasmo_guardian/info", (string?)payload["device"]!["configuration_url"]);
        Assert.StartsWith("https://", HubLink.For(null).ConfigurationUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("progress")]
    [InlineData("backed_up")]
    [InlineData("skipped")]
    [InlineData("failed")]
    [InlineData("devices")]
    public void HubCounts_KeepStatistics(string key) => Assert.Equal("measurement", (string?)Json("hub")["components"]![key]!["state_class"]);

    [Theory]
    [InlineData("backups")]
    [InlineData("backup_size")]
    public void DeviceCounts_KeepStatistics(string key) => Assert.Equal("measurement", (string?)Json("tasmota")["components"]![key]!["state_class"]);

    [Fact]
    public void Topics_FollowTheContract()
    {
        var mac = Mac.Parse("A1B2C3D4E5F6");

        Assert.Equal("homeassistant/device/tasmo_guardian/config", Topics.HubConfig);
        Assert.Equal("homeassistant/device/tasmo_guardian_a1b2c3d4e5f6/config", Topics.DeviceConfig(mac));
        Assert.Equal("tasmo_guardian/status", Topics.Status);
        Assert.Equal("tasmo_guardian/cmnd/backup", Topics.Command);
        Assert.Equal(mac, Topics.MacFromDeviceBackup("tasmo_guardian/device/a1b2c3d4e5f6/backup"));
        Assert.Null(Topics.MacFromDeviceBackup("tasmo_guardian/device/nope/backup"));
        Assert.Equal(mac, Topics.MacFromDeviceInclude("tasmo_guardian/device/a1b2c3d4e5f6/include/set"));
        Assert.Null(Topics.MacFromDeviceInclude("tasmo_guardian/device/a1b2c3d4e5f6/backup"));
        Assert.Equal("tasmo_guardian/hub/attributes", Topics.HubAttributes);
        Assert.Equal("tasmo_guardian_a1b2c3d4e5f6", Topics.DiscoveryObjectId("homeassistant/device/tasmo_guardian_a1b2c3d4e5f6/config"));
    }

    private static string Serialize(BackupEventPayload payload) => JsonSerializer.Serialize(payload, HomeAssistantJsonContext.Relaxed.BackupEventPayload);

    private static string Serialize(BackupSucceededPayload payload) => JsonSerializer.Serialize(payload, HomeAssistantJsonContext.Relaxed.BackupSucceededPayload);

    private static JsonObject Json(string which)
    {
        var payload = which switch
        {
            "hub" => DiscoveryPayloads.Hub(Topics, "0.1.0"),
            "tasmota" => DiscoveryPayloads.Device(Tasmota, Topics, "0.1.0", "Tasmota", Choices),
            _ => DiscoveryPayloads.Device(Wled, Topics, "0.1.0", "WLED", []),
        };
        return JsonNode.Parse(JsonSerializer.Serialize(payload, HomeAssistantJsonContext.Relaxed.DiscoveryPayload))!.AsObject();
    }
}
