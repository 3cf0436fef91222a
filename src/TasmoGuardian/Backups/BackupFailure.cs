namespace TasmoGuardian.Backups;

/// <summary>A failure and the short sentence a user reads in Home Assistant (the <c>reason</c> attribute).</summary>
internal sealed record BackupFailure(BackupFailureKind Kind, string Reason)
{
    public override string ToString() => $"{Kind}: {Reason}";
}
