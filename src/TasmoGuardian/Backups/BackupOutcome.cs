using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

internal enum BackupOutcomeKind
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>How one device's backup ended.</summary>
internal sealed record BackupOutcome(Device Device, BackupOutcomeKind Kind, DeviceFailure? Failure, SavedBackup? File)
{
    public static BackupOutcome Succeeded(Device device, SavedBackup file) => new(device, BackupOutcomeKind.Succeeded, null, file);

    public static BackupOutcome Skipped(Device device) => new(device, BackupOutcomeKind.Skipped, null, null);

    public static BackupOutcome Failed(Device device, DeviceFailure failure) => new(device, BackupOutcomeKind.Failed, failure, null);
}
