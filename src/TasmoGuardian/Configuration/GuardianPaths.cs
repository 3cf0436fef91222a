namespace TasmoGuardian.Configuration;

/// <summary>Where the program reads its options and keeps its state.</summary>
internal sealed record GuardianPaths(string OptionsFile, string DataDirectory)
{
    public const string DefaultOptionsFile = "/data/options.json";
    public const string DefaultDataDirectory = "/data";

    public string DatabaseFile => Path.Combine(DataDirectory, "tasmo_guardian.db");

    /// <summary>
    /// The consistent copy made for Home Assistant's backups (config.yaml <c>backup_pre</c>), which hold this file
    /// instead of the live database (<c>backup_exclude</c>).
    /// </summary>
    public string DatabaseSnapshotFile => Path.Combine(DataDirectory, "tasmo_guardian.snapshot.db");
}
