using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>How one device's backup ended.</summary>
internal sealed record BackupOutcome(Device Device, BackupOutcomeKind Kind, BackupFailure? Failure, SavedBackup? File)
{
    public static BackupOutcome Skipped(Device device) => new(device, BackupOutcomeKind.Skipped, null, null);

    public static BackupOutcome Failed(Device device, BackupFailure failure) => new(device, BackupOutcomeKind.Failed, failure, null);
}
