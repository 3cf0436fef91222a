using TasmoGuardian.Net;
using TasmoGuardian.Devices;
namespace TasmoGuardian.Net;

/// <summary>Where and as whom to reach a device. The password never appears in <see cref="ToString"/>.</summary>
internal sealed record DeviceAccess(string Host, string Username, string? Password)
{
    public bool HasPassword => !string.IsNullOrEmpty(Password);

    public override string ToString() => $"{Host} as {Username}{(HasPassword ? " with password" : "")}";
}
