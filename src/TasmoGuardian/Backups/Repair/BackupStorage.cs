using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Files;

namespace TasmoGuardian.Backups.Repair;

/// <summary>
/// Whether the backups are where the database says. When backup_dir is missing or unreadable, or most recorded files
/// are gone at once (a share not mounted yet, a renamed folder, a changed backup_dir option), nothing is forgotten: the
/// start-up repair deletes no row and no file, retention waits, and the hub's problem sensor says why until the files
/// are back. A single missing file is an ordinary loss and is repaired as before.
/// </summary>
internal sealed class BackupStorage
{
    private readonly BackupFiles _files;
    private readonly HubProblems _problems;
    private readonly string _forgetTopic;

    public BackupStorage(BackupFiles files, HubProblems problems, GuardianOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _files = files;
        _problems = problems;
        _forgetTopic = $"{options.BaseTopic}/cmnd/forget_missing";
    }

    /// <summary>True while the backups are away: no row may be deleted for a missing file, and retention waits.</summary>
    public bool IsAway => _problems.Find(HubProblemKind.Storage, _files.Root) is not null;

    /// <summary>Why the recorded backups count as away, or null when missing files are ordinary losses.</summary>
    /// <param name="missing">The rows whose file is not there (found by the caller).</param>
    public string? AwayReason(IReadOnlyCollection<BackupRecord> rows, IReadOnlyCollection<BackupRecord> missing)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(missing);
        if (rows.Count == 0)
        {
            return null;
        }

        if (_files.RootProblem() is { } root)
        {
            return $"{root}; the {rows.Count} backups the database records are kept until it is back (a share not mounted yet, a renamed folder, a changed backup_dir?)";
        }

        // One lost file is a loss; most of them at once is a folder that is not the one the database knows.
        return missing.Count >= 2 && missing.Count * 2 > rows.Count
            ? $"{missing.Count} of the {rows.Count} backups the database records are missing from {_files.Root}; they are kept until they are back (a renamed or replaced folder?). If they were deleted on purpose, publish \"forget\" to {_forgetTopic}"
            : null;
    }

    /// <summary>Says it on the hub; true when it is news (for a single log line).</summary>
    public bool SetAway(string reason) => _problems.Set(new HubProblem(HubProblemKind.Storage, _files.Root, reason));

    /// <summary>The files are back; true when they had been away.</summary>
    public bool SetBack() => _problems.Clear(HubProblemKind.Storage, _files.Root);
}
