namespace TasmoGuardian.Devices;

internal sealed class DeviceChangedEventArgs(Device device, DeviceChange change) : EventArgs
{
    public Device Device { get; } = device;

    public DeviceChange Change { get; } = change;
}
