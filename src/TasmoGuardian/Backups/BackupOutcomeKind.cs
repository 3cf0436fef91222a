namespace TasmoGuardian.Backups;

internal enum BackupOutcomeKind
{
    Succeeded,
    Failed,
    Skipped,
}
