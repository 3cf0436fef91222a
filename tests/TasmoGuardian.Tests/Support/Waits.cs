namespace TasmoGuardian.Tests.Support;

internal static class Waits
{
    /// <summary>Generous: CI machines are slower than laptops, and a pass costs nothing extra.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);
}
