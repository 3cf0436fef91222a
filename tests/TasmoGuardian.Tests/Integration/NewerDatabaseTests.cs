using System.Text.Json.Nodes;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>
/// After a downgrade the database holds values this version does not know: a device type, a backup result, a name
/// source, a restore result. The program starts anyway, lists what it cannot work with, and every other device works.
/// </summary>
public sealed class NewerDatabaseTests : IntegrationContext
{
    private const string FutureMac = "02AABBCC0042";

    [Fact]
    public async Task AStoredDeviceOfAnUnknownType_IsListedAsUnsupported_AndLeftOutOfBackupAll_WhileTheOthersWork()
    {
        var plug = await DiscoveredTasmotaAsync("Plug");
        await using (var first = await StartAppAsync())
        {
            await BackUpAsync(plug);
        }

        Sql.Execute(Folder.Database, $"""
            INSERT INTO devices (mac, name, type, noofbackups, name_source, include, last_result) VALUES ('{FutureMac}', 'Future gadget', 42, 0, 0, 1, 0);
            UPDATE devices SET last_result = 9, name_source = 17 WHERE mac = '{plug.Mac}';
            INSERT INTO restores (device_id, backup_filename, started, finished, result, reason, stage)
                SELECT id, 'x/y.dmp', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'partial', NULL, 'a stage from the future' FROM devices WHERE mac = '{plug.Mac}';
            """);
        Recorder.Clear();

        await using var app = await StartAppAsync();
        var attributes = await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => a["unsupported"]?.AsArray().Count == 1, "the unsupported device on the hub");
        var unsupported = Json(attributes)["unsupported"]![0]!;
        Assert.Equal(("Future gadget", FutureMac, "42"), ((string?)unsupported["name"], (string?)unsupported["mac"], (string?)unsupported["type"]));
        Assert.Contains("newer version", (string?)unsupported["reason"], StringComparison.Ordinal);
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (bool?)s["problem"] == true && (int?)s["devices"] == 1, "the hub's problem");

        // The restore a newer version recorded as "partial" shows as not a success, with a reason.
        await WaitForJsonAsync(StateTopic(plug), s => (string?)s["last_restore"] == "failed", "the plug's last restore");

        await PressAsync("tasmo_guardian/hub/backup_all");
        var finished = await Recorder.WaitForAsync(m => m.Topic == "tasmo_guardian/event" && m.PayloadAsString().Contains("backup_all_finished", StringComparison.Ordinal), Waits.Long, "the backup-all");
        Assert.Equal((1, 0, 0), ((int?)Json(finished)["backed_up"], (int?)Json(finished)["skipped"], (int?)Json(finished)["failed"]));

        // The stored row is as the newer version left it, and its entities are not cleared.
        Assert.Equal(42, Sql.Scalar(Folder.Database, $"SELECT type FROM devices WHERE mac = '{FutureMac}'"));
        Assert.DoesNotContain(Recorder.On($"homeassistant/device/tasmo_guardian_{FutureMac.ToLowerInvariant()}/config"), m => m.Payload.IsEmpty);
    }
}
