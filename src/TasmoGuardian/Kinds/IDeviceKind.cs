using TasmoGuardian.Net;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds;

/// <summary>
/// One firmware, in one folder: how a device of this kind is identified, which parts make its backup and how each is
/// checked, and how a backup is put back. The worker, the store, the file names and Home Assistant know a kind only
/// through this shape; adding a kind is a new folder and its lines in the composition root. How a kind finds devices
/// by itself (MQTT announcements) is a hosted service in its folder.
/// </summary>
internal interface IDeviceKind
{
    DeviceType Type { get; }

    /// <summary>The name in the <c>devices</c> option, such as "tasmota".</summary>
    string OptionName { get; }

    /// <summary>Shown as the manufacturer on the device card, such as "Tasmota".</summary>
    string DisplayName { get; }

    /// <summary>The web user a password goes with when the device's entry in the options names none.</summary>
    string DefaultUsername { get; }

    /// <summary>
    /// The password for a device without its own in the <c>devices</c> option: Tasmota's tasmota_password, OpenDTU's
    /// factory password, null for every other kind (a Tasmota password is never sent to another firmware).
    /// </summary>
    string? DefaultPassword { get; }

    /// <summary>Asks a device given by host who it is (MAC, name, version, model).</summary>
    /// <exception cref="DeviceException">The device did not answer, or not as this kind does.</exception>
    Task<DeviceObservation> IdentifyAsync(DeviceAccess access, CancellationToken cancellationToken);

    /// <summary>Downloads every part of the device's configuration and checks each is what it claims to be.</summary>
    /// <exception cref="DeviceException">A part is missing, damaged or not the device's; nothing is returned then.</exception>
    Task<DownloadedBackup> BackupAsync(Device device, DeviceAccess access, CancellationToken cancellationToken);

    /// <summary>
    /// The chip a stored backup was made on, read from the file itself (Tasmota's dump, the identification answer
    /// kept in a zip); null when the file does not tell. For files found without their row after a crash.
    /// </summary>
    string? PlatformOf(byte[] backup);

    /// <summary>
    /// What in this kind's backups is configuration and what the device changes by itself, so two backups can be
    /// compared (contract.md, "What changed").
    /// </summary>
    IBackupComparer Changes { get; }

    /// <summary>How a backup is put back; null when this kind cannot be restored (<see cref="NoRestoreReason"/> says why).</summary>
    IRestoreProtocol? Restore { get; }

    /// <summary>Why a kind without <see cref="Restore"/> cannot be restored, as the user reads it; null for kinds that can.</summary>
    string? NoRestoreReason { get; }
}
