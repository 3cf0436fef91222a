using System.Text;
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

    [Theory]

    // The same values in another order, spacing or number form: no difference.
    [InlineData("""{"a":1,"b":{"c":"x"}}""", """{ "b": {"c": "x"}, "a": 1.0 }""", "")]

    // Every path that differs, named by path only; keys and entries that came or went, marked by side.
    [InlineData("""{"wifi":{"sta":{"ssid":"home","pass":"s"}}}""", """{"wifi":{"sta":{"ssid":"work","pass":"s"}}}""", "wifi.sta.ssid=")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "b+")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", "b-")]
    [InlineData("""{"nw":{"ins":[{"ip":[1,2]}]}}""", """{"nw":{"ins":[{"ip":[1,3]},{"ip":[0,0]}]}}""", "nw.ins[0].ip[1]= nw.ins[1]+")]
    [InlineData("""{"a":1}""", """{"a":"1"}""", "a=")]
    [InlineData("""[1]""", """{"a":1}""", "=")]
    public void Differences_NamesEveryPath(string before, string after, string expected) =>
        Assert.Equal(expected, Describe(JsonCompare.Differences(Encoding.UTF8.GetBytes(before), Encoding.UTF8.GetBytes(after))));

    [Fact]
    public void Differences_LeavesIgnoredPathsOut_AnyIndexForAStar() =>
        Assert.Equal("relays[0].name=", Describe(JsonCompare.Differences(
            """{"time":"10:01","relays":[{"ison":true,"name":"a"},{"ison":false}]}"""u8.ToArray(),
            """{"time":"10:02","relays":[{"ison":false,"name":"b"},{"ison":true}]}"""u8.ToArray(),
            ["time", "relays[*].ison"])));

    [Fact]
    public void Differences_NamesDeepChangesAtTheDepthAsked() =>
        Assert.Equal("1= 3+", Describe(JsonCompare.Differences(
            """{"1":{"n":"Morning","seg":[{"col":[[255,0,0]]}]},"2":{"n":"Night"}}"""u8.ToArray(),
            """{"1":{"n":"Morning","seg":[{"col":[[0,255,0]]}]},"2":{"n":"Night"},"3":{"n":"New"}}"""u8.ToArray(),
            depth: 1)));

    [Fact]
    public void Differences_RefusesWhatIsNotJson() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonCompare.Differences("{}"u8.ToArray(), "<html>"u8.ToArray()));

    private static string Describe(IReadOnlyList<JsonPathDifference> differences) =>
        string.Join(' ', differences.Select(d => d.Path + (d.InBefore && d.InAfter ? "=" : d.InAfter ? "+" : "-")));
}
