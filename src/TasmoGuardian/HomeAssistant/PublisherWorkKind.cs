namespace TasmoGuardian.HomeAssistant;

internal enum PublisherWorkKind
{
    /// <summary>Every config, then every state: at start-up, after a reconnection, after Home Assistant's birth.</summary>
    PublishAll,

    /// <summary>One device changed: its config (if it changed) and its states.</summary>
    Device,

    /// <summary>The hub's figures changed.</summary>
    Hub,

    /// <summary>A non-retained event for automations.</summary>
    Event,

    /// <summary>A retained config under our ids that belongs to no known device: clear it.</summary>
    ClearOrphan,
}
