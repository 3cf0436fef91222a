namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// Timing of the republish after Home Assistant's birth message. Home Assistant's documentation asks for a random
/// delay so that many bridges do not answer at the same instant; tests shorten it. And how long the publisher waits
/// for the broker to acknowledge what it sent before it goes on without believing it published.
/// </summary>
internal sealed class PublisherSettings
{
    public TimeSpan BirthDelayMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BirthDelayMax { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan AcknowledgementWait { get; init; } = TimeSpan.FromSeconds(10);
}
