using TasmoGuardian.Backups.Files;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.AhoyDtu;
using TasmoGuardian.Kinds.AiOnTheEdge;
using TasmoGuardian.Kinds.Awtrix;
using TasmoGuardian.Kinds.OpenDtu;
using TasmoGuardian.Kinds.OpenHasp;
using TasmoGuardian.Kinds.Shelly;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Kinds.Wled;

namespace TasmoGuardian.Hosting;

/// <summary>
/// <c>--diff FILE_A FILE_B</c> (<see cref="BackupDiff"/>): reads two stored backups, with a Tasmota dump's user files
/// beside it ("{stem}.files.zip") where there are any, and prints what differs. Needs no options, broker or database.
/// </summary>
internal static class DiffCommand
{
    /// <summary>Every kind's comparison, the most specific first; any other zip is compared file by file last.</summary>
    private static readonly (string Kind, IBackupComparer Comparer)[] Kinds =
    [
        ("Tasmota", TasmotaChanges.Instance),
        ("WLED", WledChanges.Comparer),
        ("Shelly Gen2", ShellyChanges.Gen2),
        ("Shelly Gen1", ShellyChanges.Gen1),
        ("OpenDTU", OpenDtuChanges.Comparer),
        ("AhoyDTU", AhoyDtuChanges.Comparer),
        ("AI-on-the-Edge", AiOnTheEdgeChanges.Comparer),
        ("Awtrix", AwtrixChanges.Comparer),
        ("openHASP", OpenHaspChanges.Comparer),
        ("zip", ZipComparer.AnyZip),
    ];

    public static async Task<int> RunAsync(string fileA, string fileB, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        BackupContent a, b;
        try
        {
            (a, b) = (await ReadAsync(fileA), await ReadAsync(fileB));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The native build carries no exception texts (UseSystemResourceKeys): say it in our words.
            await error.WriteLineAsync($"There is no file {(File.Exists(fileA) ? fileB : fileA)}.");
            return BackupDiff.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read {(CanRead(fileA) ? fileB : fileA)}: {ex.GetType().Name}.");
            return BackupDiff.BadInput;
        }

        var (code, lines) = BackupDiff.Run(Kinds, (fileA, a), (fileB, b));
        foreach (var line in lines)
        {
            await (code == BackupDiff.BadInput ? error : output).WriteLineAsync(line);
        }

        return code;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<BackupContent> ReadAsync(string path)
    {
        var main = await File.ReadAllBytesAsync(path);
        var files = BackupFileName.FilesFile(path);
        return new BackupContent(main, path.EndsWith(".dmp", StringComparison.OrdinalIgnoreCase) && File.Exists(files) ? await File.ReadAllBytesAsync(files) : null);
    }
}
