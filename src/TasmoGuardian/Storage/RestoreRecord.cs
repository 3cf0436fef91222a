namespace TasmoGuardian.Storage;

/// <summary>One row of <c>restores</c>; <see cref="Result"/> is "success" or "failed", null while it runs.</summary>
internal sealed record RestoreRecord(
    long Id,
    long DeviceId,
    long? BackupId,
    string BackupFileName,
    DateTimeOffset Started,
    DateTimeOffset? Finished,
    string? Result,
    string? Reason,
    string Stage,
    long? PreRestoreBackupId,
    string? PreRestoreFileName);
