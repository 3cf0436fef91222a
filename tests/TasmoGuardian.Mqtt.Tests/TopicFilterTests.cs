namespace TasmoGuardian.Mqtt.Tests;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("+/+", "/b", true)]
    [InlineData("+", "a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("#", "a/b/c", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("tasmota/discovery/+/config", "tasmota/discovery/A1B2C3D4E5F6/config", true)]
    [InlineData("tasmota/discovery/+/config", "tasmota/discovery/A1B2C3D4E5F6/sensors", false)]
    [InlineData("stat/+/STATUS5", "stat/kitchen/STATUS5", true)]
    [InlineData("+/stat/STATUS5", "kitchen/stat/STATUS5", true)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/broker/uptime", "$SYS/broker/uptime", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("a/b", "a/b/", false)]
    [InlineData("a/b/", "a/b/", true)]
    public void Matches_FollowsTheSpec(string filter, string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("#", true)]
    [InlineData("a/#", true)]
    [InlineData("+/a/+", true)]
    [InlineData("", false)]
    [InlineData("a/#/b", false)]
    [InlineData("a#", false)]
    [InlineData("a+/b", false)]
    [InlineData("a/\0", false)]
    public void IsValidFilter_FollowsTheSpec(string filter, bool expected) =>
        Assert.Equal(expected, TopicFilter.IsValidFilter(filter));

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("/", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("a/#", false)]
    [InlineData("a/\u0000", false)]
    [InlineData("a/\u001b[2J", false)]
    [InlineData("a/\u0085", false)]
    [InlineData("küche/état", true)]
    public void IsValidTopicName_RefusesWildcardsAndControlCharacters(string topic, bool expected) =>
        Assert.Equal(expected, TopicFilter.IsValidTopicName(topic));

    [Fact]
    public void IsValidTopicName_RefusesTopicsBeyond65535Bytes() =>
        Assert.False(TopicFilter.IsValidTopicName(new string('é', 40_000)));
}
