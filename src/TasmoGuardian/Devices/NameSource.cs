namespace TasmoGuardian.Devices;

/// <summary>Where a device's name came from; a name from a better source is not replaced by a worse one.</summary>
internal enum NameSource
{
    Mac = 0,
    Topic = 1,
    FriendlyName = 2,
    DeviceName = 3,
    Option = 4,
}
