namespace TasmoGuardian.Devices;

/// <summary>What one source (a discovery message, a status reply, telemetry, an HTTP answer) says about a device.</summary>
internal sealed record DeviceObservation(Mac Mac, DeviceType Type)
{
    public string? Name { get; init; }

    public NameSource NameSource { get; init; }

    public string? Ip { get; init; }

    public string? Version { get; init; }

    public string? Model { get; init; }

    /// <summary>The chip family ("ESP8266", "ESP32-C3", …), as the kind names it.</summary>
    public string? Platform { get; init; }

    public string? Hostname { get; init; }

    /// <summary>The kind's own data about the device, replacing what was known when not null.</summary>
    public string? KindData { get; init; }

    public bool? Online { get; init; }

    /// <summary>Set for devices given in the <c>devices</c> option: the host they are reached at.</summary>
    public string? ConfiguredHost { get; init; }
}
