using TasmoGuardian.Configuration;

namespace TasmoGuardian.Devices;

/// <summary>
/// Which web password a device gets: its own from the <c>devices</c> option, else tasmota_password. Passwords stay
/// here, in memory; they are never stored in the database nor put on a <see cref="Device"/>.
/// </summary>
internal sealed class DeviceCredentials
{
    private readonly GuardianOptions _options;

    public DeviceCredentials(GuardianOptions options)
    {
        _options = options;
    }

    public string Username => _options.TasmotaUsername;

    public string? PasswordFor(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var own = device.ConfiguredHost is { } host
            ? _options.Devices.FirstOrDefault(d => string.Equals(d.Host, host, StringComparison.OrdinalIgnoreCase))?.Password
            : null;
        return own ?? _options.TasmotaPassword;
    }

    public string? PasswordFor(DeviceOption option) => option?.Password ?? _options.TasmotaPassword;
}
