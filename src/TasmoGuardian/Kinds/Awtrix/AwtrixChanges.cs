namespace TasmoGuardian.Kinds.Awtrix;

/// <summary>
/// What is configuration in an Awtrix backup: the display settings by key ("TCOL", "TFORMAT") and every file of its
/// file system by path ("ICONS/1234.gif", "DoNotTouch.json: …"). The settings a clock does not keep over a restart
/// (<see cref="AwtrixSettings.NotKeptOverRestart"/>: the matrix power, gamma, colour correction, overlay) are its state
/// of the moment, not configuration; info.json is the stats answer.
/// </summary>
internal static class AwtrixChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.ContainsKey(AwtrixKind.SettingsFile),
        new ZipRules
        {
            MainFile = AwtrixKind.SettingsFile,
            NotConfiguration = ["info.json"],
            SelfChanging = new Dictionary<string, IReadOnlyCollection<string>> { [AwtrixKind.SettingsFile] = AwtrixSettings.NotKeptOverRestart },
        });
}
