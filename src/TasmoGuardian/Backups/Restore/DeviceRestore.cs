using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Net;
using TasmoGuardian.Storage;
using TasmoGuardian.Backups.Work;
using TasmoGuardian.Backups.Files;

namespace TasmoGuardian.Backups.Restore;

/// <summary>
/// One restore, the same safe flow for every kind (contract.md, "Restore"; research §6.2, §6.3). Nothing is sent to
/// the device until all of these hold: the file exists and its SHA-256 is the row's, it passes the backup checks, the
/// device answers with our credentials, a fresh backup of its current state is saved (the pre-restore backup, which is
/// how the restore is undone), the chip fits, and the backup is not from newer firmware (unless forced). Then the kind
/// uploads it, the device must be seen restarting and answering within two minutes, and a fresh download must show what
/// was restored. Each step is written to the restores row before it starts, so a restore cut off says how far it got.
/// </summary>
internal sealed class DeviceRestore
{
    private readonly DeviceRegistry _registry;
    private readonly BackupStore _backups;
    private readonly RestoreStore _restores;
    private readonly BackupFiles _files;
    private readonly KindCatalog _kinds;
    private readonly DeviceCredentials _credentials;
    private readonly DeviceBackup _backup;
    private readonly RetentionHolds _holds;
    private readonly RestoreSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<DeviceRestore> _logger;

    public DeviceRestore(
        DeviceRegistry registry,
        BackupStore backups,
        RestoreStore restores,
        BackupFiles files,
        KindCatalog kinds,
        DeviceCredentials credentials,
        DeviceBackup backup,
        RetentionHolds holds,
        RestoreSettings settings,
        TimeProvider time,
        ILogger<DeviceRestore> logger)
    {
        _registry = registry;
        _backups = backups;
        _restores = restores;
        _files = files;
        _kinds = kinds;
        _credentials = credentials;
        _backup = backup;
        _holds = holds;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs the restore to its end. Every failure comes back as the outcome's reason; only cancellation (a stop) escapes,
    /// and then the row keeps the stage it was at. <paramref name="preRestoreDone"/> hears the pre-restore backup's
    /// outcome as soon as it is saved, like any other backup.
    /// </summary>
    public async Task<RestoreOutcome> RunAsync(RestoreRequest request, Action<BackupOutcome> preRestoreDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(preRestoreDone);
        var started = _time.GetTimestamp();
        var source = _registry.Find(request.Source);
        var target = _registry.Find(request.TargetMac);
        if (source is null || target is null)
        {
            var unknown = new Device { Mac = request.TargetMac, Name = request.TargetMac.ToString() };
            var outcome = new RestoreOutcome(target ?? unknown, source ?? unknown, request.BackupFile ?? "latest", new DeviceFailure(FailureKind.UnknownDevice, "the device is not known"), null, _time.GetUtcNow());
            Log(outcome, started);
            return outcome;
        }

        var run = new Run(request, source, target, started);
        try
        {
            return await RunStepsAsync(run, preRestoreDone, cancellationToken);
        }
        catch (DeviceException ex)
        {
            return await EndAsync(run, ex.Failure);
        }
        catch (SqliteException ex)
        {
            return await EndAsync(run, new DeviceFailure(FailureKind.WriteFailed, $"the database refused the restore's record: {ex.Message}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RestoreLog.Unexpected(_logger, ex, target.Name);
            return await EndAsync(run, new DeviceFailure(FailureKind.RestoreUnknown, $"unexpected error while {run.Stage}: {ex.Message}"));
        }
    }

    private static DeviceException Refused(string reason) => DeviceException.Of(FailureKind.RestoreRefused, reason);

    // Both Shelly kinds show as "Shelly": a refusal between them must still say which is which.
    private string TypeName(DeviceType type) => type switch
    {
        DeviceType.ShellyGen1 => "Shelly Gen1",
        DeviceType.ShellyGen2 => "Shelly Gen2 (or later)",
        _ => _kinds.For(type).DisplayName,
    };

    private async Task<RestoreOutcome> RunStepsAsync(Run run, Action<BackupOutcome> preRestoreDone, CancellationToken cancellationToken)
    {
        var (request, source, target) = (run.Request, run.Source, run.Target);
        var kind = _kinds.For(target.Type);
        if (target.Type != source.Type)
        {
            throw Refused($"a backup of a {TypeName(source.Type)} device cannot go onto a {TypeName(target.Type)} device");
        }

        if (kind.Restore is not { } protocol)
        {
            throw Refused($"{kind.DisplayName} devices cannot be restored by Tasmo Guardian: {kind.NoRestoreReason}");
        }

        var row = await FindBackupAsync(source, request.BackupFile, cancellationToken);
        using var held = _holds.Hold(row.Id);
        run.BackupFile = row.FileName;
        run.RowId = await _restores.StartAsync(target.Id, row.Id, row.FileName, _time.GetUtcNow(), "checking the backup", CancellationToken.None);
        await _registry.SetRestoreStateAsync(target.Mac, new RestoreState(RestoreResult.Running, null, row.FileName, null, null), CancellationToken.None);
        RestoreLog.Started(_logger, row.FileName, target.Name, target.Mac.ToString(), request.Trigger.ToString().ToLowerInvariant());

        // 1. The file: there, unchanged since it was saved, and still a good backup.
        var image = protocol.Open(await ReadCheckedAsync(row, cancellationToken), row.Platform);
        if (row.FilesFileName is { } filesFile)
        {
            image = image with { Files = await ReadUserFilesAsync(filesFile, cancellationToken) };
        }

        // 2. The device answers, with our credentials, in a state that can take a restore.
        await StageAsync(run, "asking the device");
        var access = _credentials.For(target) ?? throw DeviceException.Of(FailureKind.NoAddress, "no IP address is known for the device yet");
        var before = await protocol.ProbeAsync(access, cancellationToken);

        // 3. The pre-restore backup: the device's current state, saved as an ordinary backup before anything is sent.
        await StageAsync(run, "taking the pre-restore backup");
        var current = await PreRestoreBackupAsync(run, preRestoreDone, cancellationToken);

        // 4. It fits: the chip, the firmware version, and whatever else the kind checks.
        if (image.Platform is { } made && current.Platform is { } now && !string.Equals(made, now, StringComparison.OrdinalIgnoreCase))
        {
            throw Refused($"the backup is from an {made}, this device is an {now}");
        }

        if (image.Platform is null && target.Mac != source.Mac)
        {
            throw Refused("the backup does not record the chip it was made on, so it can only go back onto the device it came from");
        }

        if (!request.Force && image.Version is { } backupVersion && before.Version is { } deviceVersion && FirmwareVersion.IsNewer(backupVersion, deviceVersion))
        {
            throw Refused($"the backup is from firmware {backupVersion}, newer than the device's {deviceVersion}; restoring it could break the device's settings. Update the device first, or ask for the restore with force");
        }

        if (protocol.Refuses(image, current) is { } reason)
        {
            throw Refused(reason);
        }

        // 5. The upload.
        await StageAsync(run, "uploading the backup");
        var uploaded = _settings.NetworkTime.GetTimestamp();
        // A restart in the middle of the upload is seen by the uptime or by the device going away: a boot count taken
        // before the upload has changed already after the first.
        await protocol.UploadAsync(access, image, before, token => WaitForRestartAsync(protocol, access, before with { BootCount = null }, _settings.NetworkTime.GetTimestamp(), token), cancellationToken);

        // 6. The restart, seen.
        await StageAsync(run, "waiting for the device to restart");
        await WaitForRestartAsync(protocol, access, before, uploaded, cancellationToken);

        // 7. What it serves now is what was restored.
        await StageAsync(run, "comparing the device's configuration with the backup");
        var after = await kind.BackupAsync(_registry.Find(target.Mac) ?? target, access, cancellationToken);
        if (protocol.Differences(image, after) is { } difference)
        {
            throw DeviceException.Of(FailureKind.RestoreNotVerified, difference);
        }

        return await EndAsync(run, null);
    }

    private async Task<BackupRecord> FindBackupAsync(Device source, string? file, CancellationToken cancellationToken)
    {
        var rows = await _backups.ListAsync(source.Id, cancellationToken);
        if (file is null || file.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return rows.FirstOrDefault() ?? throw Refused($"there is no backup of {source.Name} to restore");
        }

        return rows.FirstOrDefault(r => r.FileName == file || r.FileName.EndsWith("/" + file, StringComparison.Ordinal))
            ?? throw Refused($"{source.Name} has no backup named {DeviceText.Shorten(file)} (it may have been pruned)");
    }

    private async Task<byte[]> ReadCheckedAsync(BackupRecord row, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(_files.Resolve(row.FileName), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw Refused($"the backup file {row.FileName} cannot be read: {ex.Message}");
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), row.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Refused($"the backup file {row.FileName} has changed since it was saved (its SHA-256 differs); it is not sent");
        }

        return content;
    }

    /// <summary>The backup's user files; the zip's own checksums stand for the SHA-256 the row keeps for the main file.</summary>
    private async Task<IReadOnlyDictionary<string, byte[]>> ReadUserFilesAsync(string filesFile, CancellationToken cancellationToken)
    {
        byte[] zip;
        try
        {
            zip = await File.ReadAllBytesAsync(_files.Resolve(filesFile), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw Refused($"the backup's user files {filesFile} cannot be read: {ex.Message}");
        }

        try
        {
            return BackupZip.Read(zip);
        }
        catch (DeviceException ex)
        {
            throw Refused($"the backup's user files {filesFile} are damaged: {ex.Failure.Reason}");
        }
    }

    private async Task<DownloadedBackup> PreRestoreBackupAsync(Run run, Action<BackupOutcome> preRestoreDone, CancellationToken cancellationToken)
    {
        var prepared = await _backup.PrepareAsync(new QueuedBackup(run.Target.Mac) { Force = true }, cancellationToken);
        var outcome = await _backup.CompleteAsync(prepared, preRestore: true);
        preRestoreDone(outcome);
        if (outcome.Kind != BackupOutcomeKind.Succeeded || prepared is not PreparedBackup.Downloaded downloaded || outcome.File is not { } file)
        {
            throw DeviceException.Of(outcome.Failure?.Kind ?? FailureKind.Unreachable, $"the pre-restore backup failed, so nothing was sent: {outcome.Failure?.Reason ?? "unknown"}");
        }

        run.PreRestoreFile = file.RelativePath;
        await _restores.SetPreRestoreBackupAsync(run.RowId, file.RecordId, file.RelativePath, CancellationToken.None);
        return downloaded.Backup;
    }

    private async Task WaitForRestartAsync(IRestoreProtocol protocol, DeviceAccess access, DeviceProbe before, long uploaded, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(_settings.RestartLimit, _settings.NetworkTime);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var seenDown = false;
        try
        {
            while (true)
            {
                await Task.Delay(_settings.PollInterval, _settings.NetworkTime, linked.Token);
                DeviceProbe now;
                try
                {
                    now = await protocol.ProbeAsync(access, linked.Token);
                }
                catch (DeviceException)
                {
                    // Restarting: refused, empty replies, timeouts.
                    seenDown = true;
                    continue;
                }

                var restarted = before.BootCount is { } count && now.BootCount is { } newCount
                    ? newCount != count
                    : now.Uptime is { } uptime ? uptime < _settings.NetworkTime.GetElapsedTime(uploaded) : seenDown;
                if (restarted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw DeviceException.Of(FailureKind.RestoreNotVerified, $"the device did not come back restarted within {_settings.RestartLimit.TotalSeconds:0} s; check it, or restore the pre-restore backup");
        }
    }

    private async Task StageAsync(Run run, string stage)
    {
        run.Stage = stage;
        await _restores.SetStageAsync(run.RowId, stage, CancellationToken.None);
    }

    private async Task<RestoreOutcome> EndAsync(Run run, DeviceFailure? failure)
    {
        var finished = _time.GetUtcNow();
        if (run.RowId != 0)
        {
            try
            {
                await _restores.FinishAsync(run.RowId, failure is null, failure?.Reason, finished, CancellationToken.None);
            }
            catch (SqliteException ex)
            {
                RestoreLog.NotRecorded(_logger, run.Target.Name, ex.Message);
            }
        }

        var state = new RestoreState(failure is null ? RestoreResult.Success : RestoreResult.Failed, failure?.Reason, run.BackupFile, run.PreRestoreFile, finished);
        await _registry.SetRestoreStateAsync(run.Target.Mac, state, CancellationToken.None);
        var outcome = new RestoreOutcome(_registry.Find(run.Target.Mac) ?? run.Target, run.Source, run.BackupFile, failure, run.PreRestoreFile, finished);
        Log(outcome, run.Started);
        return outcome;
    }

    private void Log(RestoreOutcome outcome, long started) =>
        BackupLog.Operation(
            _logger,
            "restore",
            outcome.Device.Mac.ToString(),
            outcome.Device.Name,
            outcome.Device.Address ?? "-",
            outcome.BackupFile,
            0,
            outcome.Succeeded ? "success" : "failed",
            (long)_time.GetElapsedTime(started).TotalMilliseconds,
            outcome.Failure?.Reason ?? "-");

    /// <summary>What one restore has done so far, for its row and its outcome.</summary>
    private sealed class Run(RestoreRequest request, Device source, Device target, long started)
    {
        public RestoreRequest Request { get; } = request;

        public Device Source { get; } = source;

        public Device Target { get; } = target;

        public long Started { get; } = started;

        public string BackupFile { get; set; } = request.BackupFile ?? "latest";

        public long RowId { get; set; }

        public string Stage { get; set; } = "checking the backup";

        public string? PreRestoreFile { get; set; }
    }
}
