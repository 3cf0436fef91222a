using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Backups.Restore;

internal static partial class RestoreLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Restore of {FileName} onto {DeviceName} ({Mac}) started ({Trigger})")]
    public static partial void Started(ILogger logger, string fileName, string deviceName, string mac, string trigger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Restore onto {DeviceName} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception, string deviceName);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Restore onto {DeviceName} ended, but its record could not be stored: {Reason}")]
    public static partial void NotRecorded(ILogger logger, string deviceName, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Stopping: the restore onto {Mac} was cut off; the next start records it as failed")]
    public static partial void StoppedMidRestore(ILogger logger, string mac);
}
