namespace TasmoGuardian.Kinds.Wled;

/// <summary>
/// What is configuration in a WLED backup: cfg.json by its paths ("id.name", "nw.ins[0].ssid"), presets.json by preset
/// ("presets.json: 3"). cfg.json's "vid" (the build) and "rev" (the file's format) are what the firmware writes at its
/// first boot after an update, the same the restore's comparison leaves out (<see cref="WledRestore"/>); info.json is the
/// identification answer, not configuration.
/// </summary>
internal static class WledChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.ContainsKey("cfg.json") && entries.ContainsKey("presets.json"),
        new ZipRules
        {
            MainFile = "cfg.json",
            NotConfiguration = ["info.json"],
            SelfChanging = new Dictionary<string, IReadOnlyCollection<string>> { ["cfg.json"] = ["vid", "rev"] },
            Depth = new Dictionary<string, int> { ["presets.json"] = 1 },
        });
}
