namespace TasmoGuardian.Devices;

/// <summary>What changed about a device, so listeners can do only the work that change needs.</summary>
[Flags]
internal enum DeviceChange
{
    None = 0,

    /// <summary>First seen.</summary>
    Added = 1,

    /// <summary>Name, address, version, model or topics: what Home Assistant's device card shows.</summary>
    Identity = 2,

    /// <summary>A backup finished, failed or was pruned: the sensors' states.</summary>
    Backup = 4,

    /// <summary>Only the LWT changed.</summary>
    Presence = 8,

    /// <summary>Hidden in or shown again in Home Assistant.</summary>
    Visibility = 16,

    /// <summary>The "Include in backup all" switch was turned.</summary>
    Include = 32,

    /// <summary>A restore onto the device started or ended.</summary>
    Restore = 64,
}

/// <summary>A device as it is after a change, and what changed.</summary>
internal sealed class DeviceChangedEventArgs(Device device, DeviceChange change) : EventArgs
{
    public Device Device { get; } = device;

    public DeviceChange Change { get; } = change;
}
