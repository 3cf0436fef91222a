namespace TasmoGuardian.Tests.Support;

/// <summary>A fresh folder per test with the program's data and backup folders; removed afterwards.</summary>
internal sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Root = Directory.CreateTempSubdirectory("tg-test-").FullName;
        Directory.CreateDirectory(Data);
    }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public string Backups => Path.Combine(Root, "backups");

    public string OptionsFile => Path.Combine(Root, "options.json");

    public string Database => Path.Combine(Data, "tasmo_guardian.db");

    /// <summary>Every file under backup_dir, as "folder/file".</summary>
    public IReadOnlyList<string> BackupFiles() => Directory.Exists(Backups)
        ? Directory.EnumerateFiles(Backups, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Backups, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
