using System.Text.Json;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds;

/// <summary>
/// <c>TasmoGuardian --diff FILE_A FILE_B</c>: the readable difference of two stored backups of one kind, one change a
/// line ("~ name" changed, "+ name" only in B, "- name" only in A). The kind is recognised from the files themselves,
/// as the first of <paramref name="kinds"/> whose backup both are. Exit code 0: the same configuration; 1: they
/// differ; 2: the files cannot be compared (unreadable, not backups, or of two kinds).
/// </summary>
internal static class BackupDiff
{
    public const int Same = 0;
    public const int Different = 1;
    public const int BadInput = 2;

    public static (int ExitCode, IReadOnlyList<string> Lines) Run(IReadOnlyList<(string Kind, IBackupComparer Comparer)> kinds, (string Name, BackupContent Content) a, (string Name, BackupContent Content) b)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var kind = kinds.FirstOrDefault(k => k.Comparer.Recognizes(a.Content));
        if (kind.Comparer is null)
        {
            return (BadInput, [$"{a.Name} is not a backup of any kind Tasmo Guardian makes"]);
        }

        if (!kind.Comparer.Recognizes(b.Content))
        {
            var other = kinds.FirstOrDefault(k => k.Comparer.Recognizes(b.Content)).Kind;
            return (BadInput, [other is null
                ? $"{b.Name} is not a backup of any kind Tasmo Guardian makes"
                : $"{a.Name} is a {kind.Kind} backup, {b.Name} a {other} backup: only backups of the same kind can be compared"]);
        }

        IReadOnlyList<ConfigChange> changes;
        try
        {
            changes = kind.Comparer.Compare(a.Content, b.Content);
        }
        catch (DeviceException ex)
        {
            return (BadInput, [$"the {kind.Kind} backups cannot be compared: {ex.Failure.Reason}"]);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return (BadInput, [$"the {kind.Kind} backups cannot be compared: {ex.Message}"]);
        }

        return changes.Count == 0
            ? (Same, [$"{kind.Kind}: the configuration is the same"])
            : (Different, [.. changes.Select(c => c.ToString())]);
    }
}
