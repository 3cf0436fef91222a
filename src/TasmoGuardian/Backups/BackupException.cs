namespace TasmoGuardian.Backups;

/// <summary>A backup attempt that failed for a reason we can name; never a bug.</summary>
internal sealed class BackupException : Exception
{
    public BackupException(BackupFailure failure)
        : base(failure?.Reason)
    {
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
    }

    public BackupException(BackupFailure failure, Exception innerException)
        : base(failure?.Reason, innerException)
    {
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
    }

    public BackupException()
        : this(new BackupFailure(BackupFailureKind.Unreachable, "unknown failure"))
    {
    }

    public BackupException(string message)
        : this(new BackupFailure(BackupFailureKind.Unreachable, message))
    {
    }

    public BackupException(string message, Exception innerException)
        : this(new BackupFailure(BackupFailureKind.Unreachable, message), innerException)
    {
    }

    public BackupFailure Failure { get; }

    public static BackupException Of(BackupFailureKind kind, string reason) => new(new BackupFailure(kind, reason));
}
