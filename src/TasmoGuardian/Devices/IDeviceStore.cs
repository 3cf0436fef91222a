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
}
