namespace TasmoGuardian.Net;

/// <summary>Where and as whom to reach a device. The password never appears in <see cref="ToString"/>.</summary>
internal sealed record DeviceAccess(string Host, string Username, string? Password)
{
    public bool HasPassword => !string.IsNullOrEmpty(Password);

    /// <summary>The device wants HTTP Digest (answered when it challenges) instead of Basic (sent with every request).</summary>
    public bool UsesDigest { get; init; }

    public override string ToString() => $"{Host} as {Username}{(HasPassword ? " with password" : "")}";
}
