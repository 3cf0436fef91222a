namespace TasmoGuardian.Kinds.OpenHasp;

/// <summary>
/// What is configuration in an openHASP backup: config.json by its paths ("mqtt.name", "gui.rotate"; the passwords are
/// served masked, so they never differ) and every other file of the plate by path ("pages.jsonl", "fonts/…"). info.json
/// and discovery.json are the identification answers.
/// </summary>
internal static class OpenHaspChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.TryGetValue(OpenHaspKind.ConfigFile, out var config) && PartCheck.HasKeys(config, "hasp"),
        new ZipRules { MainFile = OpenHaspKind.ConfigFile, NotConfiguration = [OpenHaspKind.InfoFile, OpenHaspKind.DiscoveryFile] });
}
