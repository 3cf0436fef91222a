using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Backups.Restore;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>What the tests of OpenDTU, AhoyDTU, AI-on-the-Edge, Awtrix and openHASP share: one configured device, a quick restart watch, the zip's entries.</summary>
public abstract class FileKindTestContext : IntegrationContext
{
    private static readonly RestoreSettings QuickRestart = new() { RestartLimit = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromMilliseconds(200) };

    internal Task<GuardianApp> StartWithAsync(string host, DeviceType type, string? password, string? name = null) =>
        StartWithAsync(new DeviceOption(host, type, name, password));

    internal async Task<GuardianApp> StartWithAsync(params DeviceOption[] devices)
    {
        var options = GuardianApp.DefaultOptions(Folder) with { TasmotaDiscovery = false, AnnounceDiscovery = false, Devices = devices };
        return await StartAppAsync(options, services => services.AddSingleton(QuickRestart));
    }

    /// <summary>Waits until the hub lists the configured device at <paramref name="host"/> as unidentified, and returns why.</summary>
    internal async Task<string?> UnidentifiedReasonAsync(string host)
    {
        var attributes = await WaitForJsonAsync("tasmo_guardian/hub/attributes", a => a["unidentified"]?.AsArray().Any(u => (string?)u!["host"] == host) == true, $"{host} listed as unidentified");
        return (string?)Json(attributes)["unidentified"]!.AsArray().First(u => (string?)u!["host"] == host)!["reason"];
    }

    internal Task<TasmoGuardian.Mqtt.MqttMessage> WaitForConfigAsync(string mac) =>
        WaitForJsonAsync($"homeassistant/device/tasmo_guardian_{mac.ToLowerInvariant()}/config", c => c["device"] is not null && c["components"]?["restore"] is not null, $"the config of {mac}");

    internal Dictionary<string, byte[]> Entries(string file)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Folder.Backups, file));
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    internal async Task<System.Text.Json.Nodes.JsonObject> RestoreAsync(string mac, string backup)
    {
        var before = Events().Count(e => ((string?)e["event_type"])?.StartsWith("restore_", StringComparison.Ordinal) == true);
        await PublishAsync("tasmo_guardian/cmnd/restore", $$"""{"device":"{{mac}}","backup":"{{backup}}"}""");
        return await RestoreEndAsync(before + 1);
    }

    /// <summary>No backup file of any device on disk.</summary>
    internal bool NoBackupFiles() => !Directory.Exists(Folder.Backups) || !Directory.EnumerateFiles(Folder.Backups, "*", SearchOption.AllDirectories).Any();

    internal async Task<System.Text.Json.Nodes.JsonObject> FailedBackupAsync(string mac)
    {
        var before = Events("backup_failed").Count;
        await PressAsync($"tasmo_guardian/device/{mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => Events("backup_failed").Count > before, Waits.Long, () => Recorder.Summary());
        return Events("backup_failed")[^1];
    }
}
