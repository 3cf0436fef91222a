namespace TasmoGuardian.Backups;

/// <summary>The verdict on a Tasmota dump, and what it holds when it is good.</summary>
internal sealed record DumpValidation(BackupFailure? Failure, string? Version, string? Platform, bool HasFileSystemHeader)
{
    public bool IsValid => Failure is null;

    public static DumpValidation Invalid(BackupFailureKind kind, string reason) => new(new BackupFailure(kind, reason), null, null, false);
}
