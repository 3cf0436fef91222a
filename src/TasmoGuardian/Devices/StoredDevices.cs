namespace TasmoGuardian.Devices;

/// <summary>
/// The <c>devices</c> table as read at start: the devices this version can work with, and those stored by a newer
/// version with a type it does not know (kept as they are, never written, never backed up).
/// </summary>
internal sealed record StoredDevices(IReadOnlyList<Device> Known, IReadOnlyList<Device> Unsupported);
