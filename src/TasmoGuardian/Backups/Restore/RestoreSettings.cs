namespace TasmoGuardian.Backups.Restore;

/// <summary>How long a restore waits for the device to come back (contract.md: 120 s), and how often it asks; tests shorten the wait.</summary>
internal sealed class RestoreSettings
{
    public TimeSpan RestartLimit { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The waits are network waits: on real time, whatever clock the program is given (as DeviceHttp's deadlines).</summary>
    public TimeProvider NetworkTime { get; init; } = TimeProvider.System;
}
