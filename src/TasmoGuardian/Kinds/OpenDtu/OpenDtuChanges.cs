namespace TasmoGuardian.Kinds.OpenDtu;

/// <summary>
/// What is configuration in an OpenDTU backup: every file the device lists, config.json by its paths ("dtu.serial",
/// "inverters[0].name"), the others by name. "cfg.save_count" counts the device's own saves (the restore's comparison
/// leaves it out too, <see cref="OpenDtuRestore"/>); info.json is the status answer.
/// </summary>
internal static class OpenDtuChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.TryGetValue("config.json", out var config) && PartCheck.HasKeys(config, "cfg", "dtu"),
        new ZipRules
        {
            MainFile = "config.json",
            NotConfiguration = ["info.json"],
            SelfChanging = new Dictionary<string, IReadOnlyCollection<string>> { ["config.json"] = ["cfg.save_count"] },
        });
}
