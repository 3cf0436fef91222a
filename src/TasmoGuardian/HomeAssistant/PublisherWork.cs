using TasmoGuardian.Devices;

namespace TasmoGuardian.HomeAssistant;

/// <summary>What the publisher's loop is told to do; one small record per kind of work.</summary>
internal abstract record PublisherWork
{
    private PublisherWork()
    {
    }

    /// <summary>Every config, then every state: at start-up, after a reconnection, after Home Assistant's birth.</summary>
    public sealed record PublishAll(string Reason) : PublisherWork;

    /// <summary>One device changed: its config (if it changed) and its states.</summary>
    public sealed record DeviceChanged(Mac Mac, DeviceChange Change) : PublisherWork;

    /// <summary>The hub's figures changed.</summary>
    public sealed record HubChanged : PublisherWork;

    /// <summary>Time passed: a device may have turned stale. Every state is looked at; only changed ones go out.</summary>
    public sealed record TimePassed : PublisherWork;

    /// <summary>A non-retained event for automations.</summary>
    public sealed record Event(byte[] Payload) : PublisherWork;

    /// <summary>A retained config under our ids that belongs to no known device: clear it.</summary>
    public sealed record ClearOrphan(string Topic) : PublisherWork;
}
