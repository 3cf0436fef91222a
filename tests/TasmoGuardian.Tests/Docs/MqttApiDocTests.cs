using System.Reflection;
using System.Text.Json.Serialization;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.HomeAssistant;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.Docs;

/// <summary>docs/mqtt-api.md is the promise to automations: everything the code publishes or listens to must be in it.</summary>
public sealed class MqttApiDocTests
{
    private const string SampleMac = "a1b2c3d4e5f6";
    private static readonly string Doc = File.ReadAllText(Path.Combine(GuardianProcess.RepositoryRoot(), "docs", "mqtt-api.md"));
    private static readonly HomeAssistantTopics Topics = new(new GuardianOptions());
    private static readonly Device Sample = new() { Mac = Mac.Parse(SampleMac), Name = "Plug", Type = DeviceType.Tasmota };

    public static TheoryData<string> EntityIds()
    {
        var payloads = new[] { DiscoveryPayloads.Hub(Topics, "1.0.0"), DiscoveryPayloads.Device(Sample, Topics, "1.0.0", "Tasmota", []) };
        return new TheoryData<string>(payloads.SelectMany(p => p.Components.Values).Select(c => c.DefaultEntityId.Replace(SampleMac, "<mac>", StringComparison.Ordinal)));
    }

    public static TheoryData<string> TopicNames()
    {
        var mac = Mac.Parse(SampleMac);
        var values = typeof(HomeAssistantTopics).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.Name is not ("Prefix" or "Base") && !p.Name.EndsWith("Filter", StringComparison.Ordinal))
            .Select(p => (string)p.GetValue(Topics)!)
            .Concat(typeof(HomeAssistantTopics).GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.ReturnType == typeof(string) && m.GetParameters() is [{ ParameterType: var t }] && t == typeof(Mac))
                .Select(m => (string)m.Invoke(Topics, [mac])!));
        return new TheoryData<string>(values.Select(v => v.Replace(SampleMac, "<mac>", StringComparison.Ordinal)));
    }

    public static TheoryData<string> PayloadKeys()
    {
        Type[] payloads = [typeof(HubStatePayload), typeof(HubAttributesPayload), typeof(DeviceStatePayload), typeof(DeviceAttributesPayload), typeof(RestoreAttributesPayload), typeof(BackupEventPayload), typeof(BackupSucceededPayload), typeof(BackupAttributesPayload), typeof(RunAttributesPayload), typeof(RestoreEventPayload)];
        return new TheoryData<string>(payloads
            .SelectMany(t => t.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .OfType<string>()
            .Where(k => k != "event_type")
            .Distinct());
    }

    [Theory]
    [MemberData(nameof(EntityIds))]
    public void EveryEntity_IsDocumented(string entityId) => Assert.Contains($"`{entityId}`", Doc, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void EveryTopic_IsDocumented(string topic) => Assert.Contains($"`{topic}`", Doc, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(PayloadKeys))]
    public void EveryPayloadKey_IsDocumented(string key) => Assert.Contains($"`{key}`", Doc, StringComparison.Ordinal);

    [Fact]
    public void EveryEventType_IsDocumented() =>
        Assert.All(DiscoveryPayloads.EventTypes, type => Assert.Contains($"| `{type}` |", Doc, StringComparison.Ordinal));

    [Fact]
    public void TheReadmeAndTheAddOnDocs_LinkToIt()
    {
        var root = GuardianProcess.RepositoryRoot();
        Assert.Contains("docs/mqtt-api.md", File.ReadAllText(Path.Combine(root, "README.md")), StringComparison.Ordinal);
        Assert.Contains("docs/mqtt-api.md", File.ReadAllText(Path.Combine(root, "addon", "DOCS.md")), StringComparison.Ordinal);
    }
}
