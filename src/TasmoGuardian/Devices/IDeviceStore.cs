namespace TasmoGuardian.Devices;

/// <summary>Where the registry keeps devices; the database implements it (Storage), so devices know no SQL.</summary>
internal interface IDeviceStore
{
    Task<StoredDevices> LoadAllAsync(CancellationToken cancellationToken);

    /// <returns>The new device's id.</returns>
    Task<long> InsertAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Identity only (name, addresses, version, kind data, visibility): backup columns have their own writers.</summary>
    Task UpdateAsync(Device device, CancellationToken cancellationToken);

    Task SetIncludeAsync(long id, bool include, CancellationToken cancellationToken);

    Task RecordFailureAsync(long id, string reason, DateTimeOffset attempt, CancellationToken cancellationToken);

    /// <summary>A saved backup's row and the device's counts, last result and comparison, all or nothing.</summary>
    /// <returns>The device's counts afterwards, and the new row's id.</returns>
    Task<(BackupSummary Summary, long Id)> RecordBackupAsync(BackupRecord record, DateTimeOffset attempt, BackupComparison comparison, CancellationToken cancellationToken);

    /// <summary>
    /// A backup that found the configuration of the stored backup <paramref name="backupId"/> unchanged and kept no file
    /// (store_unchanged off): that row is confirmed as of <paramref name="attempt"/>, which makes it the device's
    /// lastbackup, with its last result and comparison, all or nothing.
    /// </summary>
    Task<BackupSummary> RecordUnchangedAsync(long deviceId, long backupId, DateTimeOffset attempt, BackupComparison comparison, CancellationToken cancellationToken);

    /// <summary>Deletes backup rows (retention, or files deleted on purpose) and recounts the device, all or nothing.</summary>
    Task<BackupSummary> ForgetBackupsAsync(long deviceId, IReadOnlyCollection<long> backupIds, CancellationToken cancellationToken);

    /// <summary>Every device's counts from its rows, after start-up repair changed rows.</summary>
    Task RecountAllAsync(CancellationToken cancellationToken);
}
