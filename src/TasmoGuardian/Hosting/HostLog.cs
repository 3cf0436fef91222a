using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Hosting;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Tasmo Guardian {Version} starting; time zone {TimeZone}; {Options}")]
    public static partial void Starting(ILogger logger, string version, string timeZone, string options);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Using MQTT broker {Broker}")]
    public static partial void UsingBroker(ILogger logger, string broker);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void OptionWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Database {Path} at schema version {Version} (was {Previous})")]
    public static partial void DatabaseReady(ILogger logger, string path, int version, int previous);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Stopping: published offline and disconnected from the broker")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Stopping: the broker was not reachable, so its last will says offline for us")]
    public static partial void StoppedOffline(ILogger logger);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Cannot write the health file {Path}: {Reason} Trying again; the health check reports the add-on unhealthy meanwhile")]
    public static partial void HealthFileFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "The health file {Path} is written again")]
    public static partial void HealthFileWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Critical, Message = "{Services} stopped on an error nobody expected ({Reason}); the add-on stops so that the Supervisor's watchdog can restart it")]
    public static partial void BackgroundTaskFailed(ILogger logger, string services, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "No database, but {Path} from a Home Assistant backup: using it. Backups made after that copy are recorded again from their files")]
    public static partial void RestoredFromSnapshot(ILogger logger, string path);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Backups are written to {Directory}")]
    public static partial void BackupDirectory(ILogger logger, string directory);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "The restore of {FileName} was cut off by the last stop while {Stage}; it is recorded as failed. Check the device, or restore its pre-restore backup")]
    public static partial void RestoreInterrupted(ILogger logger, string fileName, string stage);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "Stopped while starting: asked to stop before start-up had finished")]
    public static partial void StoppedWhileStarting(ILogger logger);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "The database {Path} was written by a newer version (schema {Version}; this version knows {Known}). Working with it as it is: what this version does not know is kept and left alone")]
    public static partial void DatabaseNewer(ILogger logger, string path, int version, int known);
}
