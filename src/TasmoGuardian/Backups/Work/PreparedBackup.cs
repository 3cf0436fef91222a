using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;

namespace TasmoGuardian.Backups.Work;

/// <summary>
/// A device's backup after the part that talks to the device: downloaded and checked, skipped, or failed. Writing and
/// recording it is the second part, which runs while the next device is being downloaded.
/// </summary>
internal abstract record PreparedBackup
{
    private PreparedBackup(Device device, DateTimeOffset attempt, long started)
    {
        Device = device;
        Attempt = attempt;
        Started = started;
    }

    public Device Device { get; }

    /// <summary>When the device's turn came: the backup's time and its file name's.</summary>
    public DateTimeOffset Attempt { get; }

    /// <summary>A timestamp of the same moment, for measuring how long the backup took.</summary>
    public long Started { get; }

    public sealed record Downloaded : PreparedBackup
    {
        public Downloaded(Device device, DateTimeOffset attempt, long started, DownloadedBackup backup)
            : base(device, attempt, started)
        {
            Backup = backup;
        }

        public DownloadedBackup Backup { get; }
    }

    public sealed record Skipped : PreparedBackup
    {
        public Skipped(Device device, DateTimeOffset attempt, long started)
            : base(device, attempt, started)
        {
        }
    }

    /// <summary>Work that ended in the first stage with nothing left to write (a restore, which saves its own pre-restore backup).</summary>
    public sealed record Finished : PreparedBackup
    {
        public Finished(WorkOutcome outcome, DateTimeOffset attempt, long started)
            : base(outcome.Device, attempt, started)
        {
            Outcome = outcome;
        }

        public WorkOutcome Outcome { get; }
    }

    public sealed record Failed : PreparedBackup
    {
        public Failed(Device device, DateTimeOffset attempt, long started, DeviceFailure failure)
            : base(device, attempt, started)
        {
            Failure = failure;
        }

        public DeviceFailure Failure { get; }
    }
}
