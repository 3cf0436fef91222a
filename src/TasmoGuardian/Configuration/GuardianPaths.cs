namespace TasmoGuardian.Configuration;

/// <summary>Where the program reads its options and keeps its state.</summary>
internal sealed record GuardianPaths(string OptionsFile, string DataDirectory)
{
    public const string DefaultOptionsFile = "/data/options.json";
    public const string DefaultDataDirectory = "/data";

    public string DatabaseFile => Path.Combine(DataDirectory, "tasmo_guardian.db");
}
