namespace TasmoGuardian.Net;

/// <summary>Where and as whom to reach a device. The password never appears in <see cref="ToString"/>.</summary>
internal sealed record DeviceAccess(string Host, string Username, string? Password)
{
    public bool HasPassword => !string.IsNullOrEmpty(Password);

    /// <summary>The device wants HTTP Digest (answered when it challenges) instead of Basic (sent with every request).</summary>
    public bool UsesDigest { get; init; }

    /// <summary>The device's URL for <paramref name="pathAndQuery"/> ("/json/info", "/cm?cmnd=Status%200"): plain HTTP, as ESP firmware serves it.</summary>
    public Uri Url(string pathAndQuery) => new($"http://{Host}{pathAndQuery}");

    public override string ToString() => $"{Host} as {Username}{(HasPassword ? " with password" : "")}";
}
