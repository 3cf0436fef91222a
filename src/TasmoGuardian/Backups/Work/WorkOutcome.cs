using TasmoGuardian.Devices;
using TasmoGuardian.Backups.Files;

namespace TasmoGuardian.Backups.Work;

/// <summary>How one piece of the worker's work ended: a device's backup, or a restore.</summary>
internal abstract record WorkOutcome(Device Device);

internal enum BackupOutcomeKind
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>How one device's backup ended.</summary>
internal sealed record BackupOutcome(Device Device, BackupOutcomeKind Kind, DeviceFailure? Failure, SavedBackup? File) : WorkOutcome(Device)
{
    /// <summary>How a successful backup compared with the one before it; null for one that failed or was skipped.</summary>
    public BackupComparison? Comparison { get; init; }

    public static BackupOutcome Succeeded(Device device, SavedBackup file) => new(device, BackupOutcomeKind.Succeeded, null, file);

    public static BackupOutcome Skipped(Device device) => new(device, BackupOutcomeKind.Skipped, null, null);

    public static BackupOutcome Failed(Device device, DeviceFailure failure) => new(device, BackupOutcomeKind.Failed, failure, null);
}

/// <summary>
/// How a restore ended. <see cref="WorkOutcome.Device"/> is the target, whose results they are; <see cref="Source"/>
/// the device the backup was made from. A null <see cref="Failure"/> is a verified success.
/// </summary>
internal sealed record RestoreOutcome(Device Device, Device Source, string BackupFile, DeviceFailure? Failure, string? PreRestoreFile, DateTimeOffset Finished) : WorkOutcome(Device)
{
    public bool Succeeded => Failure is null;
}
