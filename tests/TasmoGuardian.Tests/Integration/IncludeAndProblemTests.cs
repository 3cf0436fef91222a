using Microsoft.Extensions.Time.Testing;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>The "Include in backup all" switch and the "Backup problem" sensors, as Home Assistant drives and shows them.</summary>
public sealed class IncludeAndProblemTests : IntegrationContext
{
    [Fact]
    public async Task IncludeSwitchOff_LeavesTheDeviceOutOfBackupAll_ButItsOwnButtonStillWorks()
    {
        var kept = await DiscoveredTasmotaAsync("Kept");
        var retired = await DiscoveredTasmotaAsync("Retired");
        var deleted = await DiscoveredTasmotaAsync("Deleted in HA");
        await using var app = await StartAppAsync();
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 3, "three devices");
        await WaitForJsonAsync(ConfigTopic(deleted), _ => true, "the config of the device to delete");

        await PublishAsync($"tasmo_guardian/device/{retired.Mac.ToLowerInvariant()}/include/set", "OFF");
        await PublishAsync(ConfigTopic(deleted), string.Empty, retain: true);
        await WaitForJsonAsync(StateTopic(retired), s => (bool?)s["include"] == false, "the switch shown off");
        await Eventually.TrueAsync(() => app.Get<DeviceRegistry>().Find(Mac.Parse(deleted.Mac))!.HiddenInHomeAssistant, Waits.Short, "the deletion");
        Assert.Equal(0L, Sql.Scalar(Folder.Database, $"SELECT include FROM devices WHERE mac = '{retired.Mac}'"));

        await PressAsync("tasmo_guardian/hub/backup_all");
        var run = await WaitForJsonAsync("tasmo_guardian/event", e => (string?)e["event_type"] == "backup_all_finished", "the run");

        // Left out entirely: not backed up, not counted as skipped.
        Assert.Equal((1, 0, 0), ((int)Json(run)["backed_up"]!, (int)Json(run)["skipped"]!, (int)Json(run)["failed"]!));
        Assert.Equal((1, 0, 0), (kept.Downloads, retired.Downloads, deleted.Downloads));

        await PressAsync($"tasmo_guardian/device/{retired.Mac.ToLowerInvariant()}/backup");
        await WaitForJsonAsync(StateTopic(retired), s => (int?)s["backups"] == 1, "the retired device's own backup");

        await PublishAsync($"tasmo_guardian/device/{retired.Mac.ToLowerInvariant()}/include/set", "ON");
        await WaitForJsonAsync(StateTopic(retired), s => (bool?)s["include"] == true, "the switch shown on again");
        await PublishAsync($"tasmo_guardian/device/{retired.Mac.ToLowerInvariant()}/include/set", "maybe");
        await Eventually.TrueAsync(() => app.LogText().Contains("a switch expects ON or OFF, got 'maybe'", StringComparison.Ordinal), Waits.Short, () => app.LogText());
    }

    [Fact]
    public async Task ProblemSensors_ShowFailuresAndStaleBackups_AndTheHubListsTheDevices()
    {
        var healthy = await DiscoveredTasmotaAsync("Healthy");
        var locked = await DiscoveredTasmotaAsync("Locked", d => d.Behavior = TasmotaBehavior.WrongPassword);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var options = GuardianApp.DefaultOptions(Folder) with { StaleDays = 7 };
        await using var app = Own(await GuardianApp.StartAsync(Broker, Folder, options, time: clock));
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (int?)s["devices"] == 2 && (bool?)s["problem"] == false, "two devices and no problem yet");

        await PressAsync("tasmo_guardian/hub/backup_all");

        await WaitForJsonAsync(StateTopic(locked), s => (bool?)s["problem"] == true, "the failed device's problem");
        await WaitForJsonAsync($"tasmo_guardian/device/{locked.Mac.ToLowerInvariant()}/attributes", a => ((string?)a["problem"])?.StartsWith("the last backup failed: ", StringComparison.Ordinal) == true, "what its problem is");
        await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => Names(a) == "Locked", "the hub naming it");
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (bool?)s["problem"] == true, "the hub problem on");
        Assert.False((bool)Json(Recorder.Last(StateTopic(healthy))!)["problem"]!);

        // A week without a new backup: the healthy device turns stale by itself, without any other event.
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await WaitForJsonAsync(StateTopic(healthy), s => (bool?)s["problem"] == true, "the stale device's problem");
        await WaitForJsonAsync($"tasmo_guardian/device/{healthy.Mac.ToLowerInvariant()}/attributes", a => (string?)a["problem"] == "the newest backup is 7 days old", "why");
        await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => Names(a) == "Healthy,Locked", "the hub naming both");

        // Fixed: a fresh backup clears each problem, and the hub follows.
        locked.Behavior = TasmotaBehavior.Ok;
        await PressAsync("tasmo_guardian/hub/backup_all");
        await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => Names(a) == string.Empty, "no device left with a problem");
        await WaitForJsonAsync("tasmo_guardian/hub/state", s => (bool?)s["problem"] == false, "the hub problem off");
    }

    private static string Names(System.Text.Json.Nodes.JsonObject attributes) =>
        string.Join(',', attributes["devices"]!.AsArray().Select(n => (string?)n));
}
