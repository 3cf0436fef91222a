namespace TasmoGuardian.Json;

/// <summary>
/// A path at which two JSON documents differ (<see cref="JsonCompare.Differences"/>): "" for the whole document,
/// "wifi.sta.ssid", "nw.ins[0].ip". Which of the two has it tells a value that changed (both) from a key or an array
/// entry that came or went.
/// </summary>
internal sealed record JsonPathDifference(string Path, bool InBefore, bool InAfter);
