namespace TasmoGuardian.Backups;

/// <summary>Who asked for a backup; it appears in logs and in the run history.</summary>
internal enum BackupTrigger
{
    Button,
    Command,
    Schedule,
}
