namespace TasmoGuardian.Devices;

/// <summary>The firmware family; the number is what the database's <c>devices.type</c> column holds.</summary>
internal enum DeviceType
{
    Tasmota = 0,
    Wled = 1,
}
