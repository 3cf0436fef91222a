using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// How one kind puts a stored backup back on a device. The safe order (check the file, probe, take the pre-restore
/// backup, check platform and version, upload, wait for the restart, compare) is the worker's, the same for every kind
/// (Backups/DeviceRestore); a kind supplies the steps. Every failure is a <see cref="DeviceException"/> whose reason a
/// user understands.
/// </summary>
internal interface IRestoreProtocol
{
    /// <summary>
    /// Opens a stored backup: it must pass the same checks as a fresh one. <paramref name="recordedPlatform"/> is what
    /// the backup's row says it was made on, for kinds whose files do not say it themselves.
    /// </summary>
    RestoreImage Open(byte[] stored, string? recordedPlatform);

    /// <summary>Asks the device who and how it is now; fails when it cannot be restored as it is (wrong password, user mode).</summary>
    Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken);

    /// <summary>What else must hold before anything is sent, now that the device's current state is known; null when all does.</summary>
    string? Refuses(RestoreImage image, DownloadedBackup current);

    /// <summary>Sends the backup. Returns once the device has accepted it (and restarts by itself, or was told to).</summary>
    /// <param name="restarted">
    /// The worker's restart watch (its limit and poll): waits until the device has restarted after the moment it is
    /// called, for firmware that restarts after each of several uploads (OpenDTU). Most kinds never call it.
    /// </param>
    Task UploadAsync(DeviceAccess access, RestoreImage image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken);

    /// <summary>Whether a fresh download shows what was restored; null when it does, else what differs.</summary>
    string? Differences(RestoreImage image, DownloadedBackup after);
}


/// <summary>A device as a restore sees it: the firmware version, and what shows that it restarted.</summary>
internal sealed record DeviceProbe(string? Version)
{
    /// <summary>Counts restarts (Tasmota's BootCount); null when the device does not tell.</summary>
    public long? BootCount { get; init; }

    /// <summary>Time since the device started; a value smaller than the time since the upload shows a restart.</summary>
    public TimeSpan? Uptime { get; init; }
}
