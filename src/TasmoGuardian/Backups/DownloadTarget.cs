namespace TasmoGuardian.Backups;

/// <summary>Where and how to fetch a device's configuration. The password never appears in <see cref="ToString"/>.</summary>
internal sealed record DownloadTarget(string Address, string Username, string? Password)
{
    public override string ToString() => $"{Address} as {Username}{(string.IsNullOrEmpty(Password) ? "" : " with password")}";
}
