using Microsoft.Extensions.Logging;

namespace TasmoGuardian.HomeAssistant;

internal static partial class HomeAssistantLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Published Home Assistant discovery for the hub and {Devices} devices ({Reason})")]
    public static partial void PublishedAll(ILogger logger, int devices, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Home Assistant is online again; republishing in {DelaySeconds:0.0} s")]
    public static partial void BirthSeen(ILogger logger, double delaySeconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Home Assistant deleted device {Name} ({Mac}); it is not published again until it changes")]
    public static partial void DeletedInHomeAssistant(ILogger logger, string name, string mac);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Cleared a stale Home Assistant config on {Topic} that belongs to no known device")]
    public static partial void ClearedOrphan(ILogger logger, string topic);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Publishing to {Topic} failed: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "The broker has not acknowledged {Count} messages within {Seconds:0.#} s; their states are sent again when next due")]
    public static partial void NotAcknowledged(ILogger logger, int count, double seconds);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Command on {Topic}: {Action}")]
    public static partial void Command(ILogger logger, string topic, string action);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Ignored command on {Topic}: {Problem}")]
    public static partial void CommandIgnored(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Ignored command on {Topic}: {Problem}")]
    public static partial void CommandIgnoredAgain(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Cannot read the backups of {DeviceName} for its restore select: {Reason}")]
    public static partial void ChoicesUnreadable(ILogger logger, string deviceName, string reason);
}
