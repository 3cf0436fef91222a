using System.Text.Json.Nodes;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Integration;

/// <summary>What every integration test needs: a private broker, fake devices' MQTT side, a recorder, a folder.</summary>
public abstract class IntegrationContext : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    internal MosquittoBroker Broker { get; private set; } = null!;

    internal FakeTasmotaFleet Fleet { get; private set; } = null!;

    internal MessageRecorder Recorder { get; private set; } = null!;

    internal TestFolder Folder { get; } = new();

    public virtual async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync();
        Fleet = await FakeTasmotaFleet.StartAsync(Broker);
        Recorder = await MessageRecorder.StartAsync(Broker);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Recorder.DisposeAsync();
        await Fleet.DisposeAsync();
        await Broker.DisposeAsync();
        Folder.Dispose();
    }

    internal T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A fake Tasmota device on its own address, known to the fleet, its discovery published (retained).</summary>
    internal async Task<FakeTasmota> DiscoveredTasmotaAsync(string? name = null, Action<FakeTasmota>? configure = null)
    {
        var device = Own(FakeTasmota.Start(name));
        configure?.Invoke(device);
        Fleet.Add(device);
        await Fleet.PublishDiscoveryAsync(device);
        return device;
    }

    internal Task<GuardianApp> StartAppAsync(TasmoGuardian.Configuration.GuardianOptions? options = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        GuardianApp.StartAsync(Broker, Folder, options, services).ContinueWith(t => Own(t.Result), TaskScheduler.Default);

    internal Task PressAsync(string topic) =>
        Recorder.Client.PublishAsync(MqttMessage.FromString(topic, "PRESS", MqttQualityOfService.AtLeastOnce), CancellationToken.None);

    internal Task PublishAsync(string topic, string payload, bool retain = false) =>
        Recorder.Client.PublishAsync(MqttMessage.FromString(topic, payload, MqttQualityOfService.AtLeastOnce, retain), CancellationToken.None);

    internal static JsonObject Json(MqttMessage message) => JsonNode.Parse(message.PayloadAsString())!.AsObject();

    internal static string ConfigTopic(FakeTasmota device) => $"homeassistant/device/tasmo_guardian_{device.Mac.ToLowerInvariant()}/config";

    internal static string StateTopic(FakeTasmota device) => $"tasmo_guardian/device/{device.Mac.ToLowerInvariant()}/state";

    internal Task<MqttMessage> WaitForJsonAsync(string topic, Func<JsonObject, bool> predicate, string what) =>
        Recorder.WaitForAsync(m => m.Topic == topic && m.Payload.Length > 0 && predicate(Json(m)), Waits.Long, what);

    internal IReadOnlyList<JsonObject> Events(string? type = null) => Recorder.On("tasmo_guardian/event")
        .Select(Json)
        .Where(e => type is null || (string?)e["event_type"] == type)
        .ToList();

    internal Task<string> BackUpAsync(FakeTasmota device) => BackUpAsync(device.Mac);

    /// <summary>Presses the device's Backup button and waits for its backup_succeeded; returns its file.</summary>
    internal async Task<string> BackUpAsync(string mac)
    {
        await Recorder.WaitForAsync(m => m.Topic == $"homeassistant/device/tasmo_guardian_{mac.ToLowerInvariant()}/config", Waits.Long, "the device's config");
        var before = Events("backup_succeeded").Count;
        await PressAsync($"tasmo_guardian/device/{mac.ToLowerInvariant()}/backup");
        await Eventually.TrueAsync(() => Events("backup_succeeded").Count > before, Waits.Long, () => Recorder.Summary());
        return (string)Events("backup_succeeded").Last(e => (string?)e["mac"] == mac.ToUpperInvariant())["file"]!;
    }

    /// <summary>Waits for the count-th restore_succeeded or restore_failed and returns it.</summary>
    internal async Task<JsonObject> RestoreEndAsync(int count = 1)
    {
        await Eventually.TrueAsync(() => Events().Count(e => ((string?)e["event_type"])?.StartsWith("restore_", StringComparison.Ordinal) == true) >= count, Waits.Long, () => Recorder.Summary());
        return Events().Where(e => ((string?)e["event_type"])?.StartsWith("restore_", StringComparison.Ordinal) == true).ElementAt(count - 1);
    }
}
