using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups.Files;

/// <summary>
/// The contract's file naming: <c>{device_folder}/{MAC}-{yyyy-MM-dd_HH_mm_ss}-v{version}.{dmp|zip}</c>, with folder
/// and version reduced to safe characters so that no name can leave backup_dir; a backup's user files go beside it as
/// <c>{same stem}.files.zip</c>.
/// </summary>
internal static partial class BackupFileName
{
    public const int MaxFolderLength = 64;
    public const string FilesSuffix = ".files.zip";
    private const string TimeFormat = "yyyy-MM-dd_HH_mm_ss";

    /// <summary>
    /// Every character outside ASCII letters, digits, space and <c>._-()</c> becomes '_'; then leading dots and
    /// surrounding spaces go; then it is cut to 64 characters; the MAC when nothing is left.
    /// </summary>
    public static string Folder(string? name, Mac mac)
    {
        var builder = new StringBuilder(name?.Length ?? 0);
        foreach (var c in name ?? string.Empty)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '(' or ')' ? c : '_');
        }

        var folder = builder.ToString().TrimStart('.', ' ').TrimEnd(' ');
        if (folder.Length > MaxFolderLength)
        {
            folder = folder[..MaxFolderLength];
        }

        return folder.Length == 0 ? mac.ToString() : folder;
    }

    public static string Version(string? version)
    {
        var builder = new StringBuilder(version?.Length ?? 0);
        foreach (var c in version ?? string.Empty)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var text = builder.Length > MaxFolderLength ? builder.ToString(0, MaxFolderLength) : builder.ToString();
        return text.Length == 0 ? "unknown" : text;
    }

    public static string File(Mac mac, DateTime localTime, string? version, string extension) =>
        $"{mac}-{localTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-v{Version(version)}.{extension}";

    /// <summary>The user files' name beside a main file: the same stem, ending in <see cref="FilesSuffix"/>.</summary>
    public static string FilesFile(string main)
    {
        ArgumentNullException.ThrowIfNull(main);
        return Path.ChangeExtension(main, null) + FilesSuffix;
    }

    public static bool IsFilesFile(string fileName) => fileName.EndsWith(FilesSuffix, StringComparison.Ordinal);

    /// <summary>Reads back a user files' name this program wrote, as <see cref="Parse"/> reads its main file's; null for anything else.</summary>
    public static (Mac Mac, DateTime LocalTime, string Version)? ParseFilesFile(string fileName) =>
        IsFilesFile(fileName) ? Parse(fileName[..^FilesSuffix.Length] + ".dmp") : null;

    /// <summary>Reads back a main file's name this program wrote; null for anything else (user files included), which is then left alone.</summary>
    public static (Mac Mac, DateTime LocalTime, string Version)? Parse(string fileName)
    {
        var match = NamePattern().Match(fileName);
        if (!match.Success
            || !Mac.TryParse(match.Groups["mac"].Value, out var mac)
            || !DateTime.TryParseExact(match.Groups["time"].Value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        return (mac, time, match.Groups["version"].Value);
    }

    [GeneratedRegex(@"^(?<mac>[0-9A-F]{12})-(?<time>\d{4}-\d{2}-\d{2}_\d{2}_\d{2}_\d{2})-v(?<version>[0-9A-Za-z._-]+)(?<!\.files)\.(?:dmp|zip)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
