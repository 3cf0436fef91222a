using TasmoGuardian.Devices;
using TasmoGuardian.Kinds.Tasmota;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

public sealed class TasmotaTopicsTests
{
    private static readonly Mac Id = Mac.Parse("A1B2C3D4E5F6");

    [Theory]
    [InlineData("%prefix%/%topic%/", "stat/kitchen/", "tele/kitchen/", "cmnd/kitchen/")]
    [InlineData("%topic%/%prefix%/", "kitchen/stat/", "kitchen/tele/", "kitchen/cmnd/")]
    [InlineData("home/%prefix%/%topic%", "home/stat/kitchen/", "home/tele/kitchen/", "home/cmnd/kitchen/")]
    [InlineData("tasmota/%id%/%prefix%/", "tasmota/A1B2C3D4E5F6/stat/", "tasmota/A1B2C3D4E5F6/tele/", "tasmota/A1B2C3D4E5F6/cmnd/")]
    [InlineData("%hostname%/%prefix%//", "kitchen-1234/stat/", "kitchen-1234/tele/", "kitchen-1234/cmnd/")]
    [InlineData("devices/%topic%", "devices/kitchen/", "devices/kitchen/", "devices/kitchen/cmnd/")]
    [InlineData("#/%prefix%/%topic%/", "/stat/kitchen/", "/tele/kitchen/", "/cmnd/kitchen/")]
    public void Build_FollowsTheFirmwaresRules(string fullTopic, string stat, string tele, string command)
    {
        var topic = new TasmotaTopic("kitchen", fullTopic);

        Assert.Equal(stat, TasmotaTopics.StatBase(topic, "kitchen-1234", Id));
        Assert.Equal(tele, TasmotaTopics.TelemetryBase(topic, "kitchen-1234", Id));
        Assert.Equal(command, TasmotaTopics.CommandBase(topic, "kitchen-1234", Id));
    }

    [Fact]
    public void Build_UsesCustomPrefixes()
    {
        var topic = new TasmotaTopic("kitchen", "%prefix%/%topic%/", "c", "s", "t");

        Assert.Equal("s/kitchen/", TasmotaTopics.StatBase(topic, null, Id));
        Assert.False(topic.IsStandard);
    }

    [Theory]
    [InlineData("stat/kitchen/", "kitchen", "%prefix%/%topic%/")]
    [InlineData("kitchen/stat/", "kitchen", "%topic%/%prefix%/")]
    [InlineData("stat/stat/", null, null)]
    [InlineData("a/b/c/", null, null)]
    public void InferFromStatBase_RecognisesBothStandardShapes(string statBase, string? topic, string? fullTopic) =>
        Assert.Equal(topic is null ? null : new TasmotaTopic(topic, fullTopic!), TasmotaTopics.InferFromStatBase(statBase));

    [Theory]
    [InlineData("tele/garden/", "garden", "%prefix%/%topic%/")]
    [InlineData("garden/tele/", "garden", "%topic%/%prefix%/")]
    [InlineData("tele/tele/", null, null)]
    [InlineData("tele/a+b/", null, null)]
    [InlineData("stat/garden/", null, null)]
    public void InferFromTelemetryBase_RecognisesBothStandardShapes(string telemetryBase, string? topic, string? fullTopic) =>
        Assert.Equal(topic is null ? null : new TasmotaTopic(topic, fullTopic!), TasmotaTopics.InferFromTelemetryBase(telemetryBase));
}
