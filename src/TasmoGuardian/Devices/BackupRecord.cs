namespace TasmoGuardian.Devices;

/// <summary>
/// One row of <c>backups</c>. File names are relative to backup_dir, with '/' between folder and file. The platform is
/// the chip the configuration was made on, as the kind names it (Tasmota: "ESP8266", "ESP32-C3", …; WLED: its arch);
/// the files file holds the device's user files beside the main one (Tasmota's Berry scripts), when it has any.
/// </summary>
internal sealed record BackupRecord(long Id, long DeviceId, string FileName, long Size, string Sha256, string? Version, DateTimeOffset Created)
{
    public string? Platform { get; init; }

    public string? FilesFileName { get; init; }
}
