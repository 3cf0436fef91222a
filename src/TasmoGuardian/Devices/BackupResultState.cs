namespace TasmoGuardian.Devices;

/// <summary>The outcome of a device's last backup attempt, as the <c>last_result</c> enum sensor shows it.</summary>
internal enum BackupResultState
{
    Never = 0,
    Success = 1,
    Failed = 2,
}
