using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Backups.Work;

internal static partial class BackupLog
{
    /// <summary>The structured event design.md names: one line per device backup, whatever the outcome.</summary>
    [LoggerMessage(EventId = 3001, EventName = "backup_operation", Level = LogLevel.Information,
        Message = "backup_operation operation={Operation} device_id={DeviceId} device_name={DeviceName} device_ip={DeviceIp} filename={FileName} size_bytes={SizeBytes} outcome={Outcome} duration_ms={DurationMs} reason={Reason}")]
    public static partial void Operation(ILogger logger, string operation, string deviceId, string deviceName, string deviceIp, string fileName, long sizeBytes, string outcome, long durationMs, string reason);

    [LoggerMessage(EventId = 3002, EventName = "backup_all_operation", Level = LogLevel.Information,
        Message = "backup_all_operation trigger={Trigger} backed_up={BackedUp} skipped={Skipped} failed={Failed} duration_ms={DurationMs}")]
    public static partial void AllOperation(ILogger logger, string trigger, int backedUp, int skipped, int failed, long durationMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Backup of all {Count} devices started ({Trigger})")]
    public static partial void RunStarted(ILogger logger, int count, string trigger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Backup request for {Target} merged with one already waiting or running")]
    public static partial void Merged(ILogger logger, string target);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Cannot delete {Path}: {Reason}")]
    public static partial void CannotDelete(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Removed {Count} temporary files left by an interrupted backup")]
    public static partial void TemporaryFilesRemoved(ILogger logger, int count);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Backup file {FileName} is missing; its record is removed")]
    public static partial void MissingFile(ILogger logger, string fileName);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Backup file {FileName} had no record (interrupted before it was stored); recorded it now")]
    public static partial void AdoptedFile(ILogger logger, string fileName);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "User files {FileName} of a backup are missing; the backup keeps its main file")]
    public static partial void MissingFilesFile(ILogger logger, string fileName);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Information, Message = "Removed user files {FileName}: their backup's main file was never finished")]
    public static partial void OrphanFilesFileRemoved(ILogger logger, string fileName);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Retention: deleted {Count} old backups of {DeviceName}, keeping {Keep}")]
    public static partial void Pruned(ILogger logger, int count, string deviceName, int keep);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Backup of {DeviceName} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception, string deviceName);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Scheduled backup-all: next run at {Next}")]
    public static partial void NextScheduled(ILogger logger, string next);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "The schedule '{Schedule}' never occurs; no automatic backups")]
    public static partial void NeverScheduled(ILogger logger, string schedule);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Backup of {DeviceName} is saved, but removing old backups failed: {Reason} The next backup tries again")]
    public static partial void PruneFailed(ILogger logger, string deviceName, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Backup-all ({Trigger}) finished, but its record could not be stored: {Reason} The backups themselves are recorded")]
    public static partial void RunRecordFailed(ILogger logger, string trigger, string reason);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Cannot read the history of backup-all runs: {Reason}")]
    public static partial void RunHistoryUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Error, Message = "Backup of {DeviceName} failed, and the failure could not be stored: {Reason}")]
    public static partial void FailureNotStored(ILogger logger, string deviceName, string reason);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information, Message = "Stopping: {Count} devices still waiting in the queue were not backed up")]
    public static partial void StoppedWithQueue(ILogger logger, int count);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Warning, Message = "Stopping: the device {Mac} did not finish sending its backup in time; nothing of it was saved")]
    public static partial void StoppedMidDownload(ILogger logger, string mac);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Debug, Message = "Backup of {Mac} queued")]
    public static partial void Queued(ILogger logger, string mac);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Backup of {DeviceName} is saved, but its chip could not be stored with the device: {Reason}")]
    public static partial void PlatformNotStored(ILogger logger, string deviceName, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "Backup of {DeviceName} took {DownloadMs:0.0} ms to download and check, {WriteMs:0.0} ms to write, {RecordMs:0.0} ms to record, {PruneMs:0.0} ms to prune")]
    public static partial void Phases(ILogger logger, string deviceName, double downloadMs, double writeMs, double recordMs, double pruneMs);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "The backups are not where the database says: {Reason}. No backup is forgotten and none is pruned until they are back")]
    public static partial void StorageAway(ILogger logger, string reason);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Information, Message = "The backups in {Folder} are where the database says again")]
    public static partial void StorageBack(ILogger logger, string folder);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Information, Message = "Retention waits for {DeviceName}: the backups are not where the database says")]
    public static partial void PruneWaits(ILogger logger, string deviceName);

    [LoggerMessage(EventId = 3027, Level = LogLevel.Information, Message = "Backup of {DeviceName}: the configuration is unchanged since {File}; no new file is kept (store_unchanged is off)")]
    public static partial void Unchanged(ILogger logger, string deviceName, string file);

    [LoggerMessage(EventId = 3028, Level = LogLevel.Information, Message = "Backup of {DeviceName}: changed since {File}: {Changes}")]
    public static partial void Changed(ILogger logger, string deviceName, string file, string changes);

    [LoggerMessage(EventId = 3029, Level = LogLevel.Information, Message = "Backup of {DeviceName}: whether its configuration changed is not known: {Reason}")]
    public static partial void ChangesUnknown(ILogger logger, string deviceName, string reason);
}
