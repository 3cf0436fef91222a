using TasmoGuardian.Devices;

namespace TasmoGuardian.Backups;

/// <summary>
/// A device's backup after the network part: the verified download, or why there is none. Writing and recording it
/// is the second, local part, which runs while the next device is being downloaded.
/// </summary>
internal sealed record PreparedBackup(Device Device, long Started, DateTimeOffset Attempt, DownloadedBackup? Download, BackupFailure? Failure, bool Skipped = false);
