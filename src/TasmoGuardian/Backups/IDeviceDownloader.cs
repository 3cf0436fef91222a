namespace TasmoGuardian.Backups;

/// <summary>Fetches and verifies one device's configuration; failures are <see cref="BackupException"/>s.</summary>
internal interface IDeviceDownloader
{
    Task<DownloadedBackup> DownloadAsync(DownloadTarget target, CancellationToken cancellationToken);
}
