using TasmoGuardian.Configuration;
namespace TasmoGuardian.HomeAssistant;

/// <summary>Where the hub's "Visit" link goes: the app's page inside Home Assistant when the slug is known, else the project's page.</summary>
internal sealed record HubLink(string ConfigurationUrl)
{
    public static HubLink For(string? slug) =>
        new(slug is null ? GuardianInfo.ProjectUrl : $"homeassistant://hassio/addon/{slug}/info");
}
