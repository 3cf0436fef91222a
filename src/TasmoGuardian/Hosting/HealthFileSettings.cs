namespace TasmoGuardian.Hosting;

/// <summary>
/// Where the health file goes (null: nowhere; from <c>TASMO_GUARDIAN_HEALTH_FILE</c>, set by the Dockerfile) and how
/// often it is touched. The image's HEALTHCHECK accepts a file up to two minutes old.
/// </summary>
internal sealed record HealthFileSettings(string? Path)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);
}
