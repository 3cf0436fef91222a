using TasmoGuardian.Devices;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Files;

namespace TasmoGuardian.Backups.Restore;

/// <summary>
/// The backups a user can pick to restore, newest first, labelled as the restore_source select shows them
/// (contract.md: <c>yyyy-MM-dd HH:mm:ss v{version}</c>, local time, from the file name, which is unique per device).
/// Only the newest <see cref="Max"/> are offered there; older ones stay restorable by file name on the command topic.
/// </summary>
internal sealed class BackupChoices
{
    public const int Max = 30;
    public const string None = "none";

    private readonly BackupStore _store;

    public BackupChoices(BackupStore store)
    {
        _store = store;
    }

    public async Task<IReadOnlyList<BackupChoice>> ForAsync(Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var rows = await _store.ListAsync(device.Id, cancellationToken);
        var choices = new List<BackupChoice>(Math.Min(rows.Count, Max));
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Take(Max))
        {
            var label = Label(row);
            for (var n = 2; !labels.Add(label); n++)
            {
                label = $"{Label(row)} ({n})";
            }

            choices.Add(new BackupChoice(row.FileName, label));
        }

        return choices;
    }

    /// <summary>
    /// The file "the newest backup" names now. A restore asked for "latest" is pinned to it when asked, so a backup of
    /// the same device queued before the restore cannot become what gets restored.
    /// </summary>
    public async Task<string?> NewestAsync(Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return (await _store.ListAsync(device.Id, cancellationToken)).FirstOrDefault()?.FileName;
    }

    public static string Label(BackupRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var file = row.FileName[(row.FileName.LastIndexOf('/') + 1)..];
        return BackupFileName.Parse(file) is { } name
            ? $"{name.LocalTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} v{name.Version}"
            : file;
    }
}

/// <summary>One stored backup as the restore_source select offers it.</summary>
internal sealed record BackupChoice(string FileName, string Label);
