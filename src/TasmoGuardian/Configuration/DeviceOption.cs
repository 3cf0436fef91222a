namespace TasmoGuardian.Configuration;

/// <summary>One entry of the <c>devices</c> option: a device given by host rather than found over MQTT.</summary>
internal sealed record DeviceOption(string Host, DeviceType Type, string? Name, string? Password)
{
    // Records print every property; a password must never reach a log line.
    public override string ToString() => $"{Type} at {Host}{(Name is null ? "" : $" ({Name})")}{(Password is null ? "" : ", password set")}";
}
