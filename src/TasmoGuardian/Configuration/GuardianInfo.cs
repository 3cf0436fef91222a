using System.Reflection;

namespace TasmoGuardian.Configuration;

/// <summary>The program's name, version and home, as shown in Home Assistant's device cards and logs.</summary>
internal static class GuardianInfo
{
    public const string Name = "Tasmo Guardian";
    public const string ProjectUrl = "https://github.com/tasmo-guardian/tasmo-guardian";

    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var informational = typeof(GuardianInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        // The SDK appends "+<commit>"; users and Home Assistant want the release number.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
