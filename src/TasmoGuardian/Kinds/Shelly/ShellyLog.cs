using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Kinds.Shelly;

internal static partial class ShellyLog
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Ignored a Shelly message on {Topic}: {Problem}")]
    public static partial void Ignored(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Ignored a Shelly message on {Topic}: {Problem}")]
    public static partial void IgnoredAgain(ILogger logger, string topic, string problem);
}
