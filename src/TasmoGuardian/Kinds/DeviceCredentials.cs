using TasmoGuardian.Net;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds;

/// <summary>
/// How a device is reached: its entry in the <c>devices</c> option (host, user, password) if it has one, else its
/// learned address with the kind's default user and password (tasmota_password for Tasmota, none for the others). Passwords stay here, in memory; they are never
/// stored in the database nor put on a <see cref="Device"/>.
/// </summary>
internal sealed class DeviceCredentials
{
    private readonly GuardianOptions _options;
    private readonly KindCatalog _kinds;

    public DeviceCredentials(GuardianOptions options, KindCatalog kinds)
    {
        _options = options;
        _kinds = kinds;
    }

    /// <summary>Null while no address is known for the device.</summary>
    public DeviceAccess? For(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Address is not { } host)
        {
            return null;
        }

        var option = device.ConfiguredHost is { } configured
            ? _options.Devices.FirstOrDefault(d => string.Equals(d.Host, configured, StringComparison.OrdinalIgnoreCase))
            : null;
        return Access(host, device.Type, option);
    }

    public DeviceAccess For(DeviceOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return Access(option.Host, option.Type, option);
    }

    private DeviceAccess Access(string host, DeviceType type, DeviceOption? option)
    {
        var kind = _kinds.For(type);
        return new(host, option?.Username ?? kind.DefaultUsername, option?.Password ?? kind.DefaultPassword);
    }
}
