using TasmoGuardian.Json;

namespace TasmoGuardian.Tests.Json;

public sealed class JsonCompareTests
{
    [Theory]

    // Every restored value present and equal; other spacing and key order do not matter.
    [InlineData("""{"a":1,"b":{"c":"x"}}""", """{ "b": {"c": "x"}, "a": 1.0 }""", false, null)]

    // Keys the device adds itself (usermod defaults) are fine, unless exact.
    [InlineData("""{"a":1}""", """{"a":1,"um":{}}""", false, null)]
    [InlineData("""{"a":1}""", """{"a":1,"um":{}}""", true, "um is new")]

    // What differs is named by its path, never by its value.
    [InlineData("""{"id":{"name":"Desk"}}""", """{"id":{"name":"Other"}}""", false, "id.name has another value")]
    [InlineData("""{"nw":{"ins":[{"ssid":"a"}]}}""", """{"nw":{"ins":[{"ssid":"b"}]}}""", false, "nw.ins[0].ssid has another value")]
    [InlineData("""{"nw":{"ins":[1,2]}}""", """{"nw":{"ins":[1]}}""", false, "nw.ins has 1 entries instead of 2")]
    [InlineData("""{"a":1}""", """{}""", false, "a is missing")]
    [InlineData("""{"a":true}""", """{"a":false}""", false, "a has another value")]
    [InlineData("""{"a":1}""", """{"a":"1"}""", false, "a is missing or of another type")]
    [InlineData("""{"a":1}""", "<html>", false, "the device's file is not JSON")]
    public void FirstMissing_NamesTheFirstDifference(string expected, string actual, bool exact, string? difference) =>
        Assert.Equal(difference, JsonCompare.FirstMissing(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual), exact));

    [Fact]
    public void FirstMissing_LeavesIgnoredTopLevelKeysOut() =>
        Assert.Null(JsonCompare.FirstMissing("""{"vid":2405180,"a":1}"""u8.ToArray(), """{"vid":2412100,"a":1}"""u8.ToArray(), exact: false, ignore: ["vid"]));
}
