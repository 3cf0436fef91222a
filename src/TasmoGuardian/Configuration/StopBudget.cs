namespace TasmoGuardian.Configuration;

/// <summary>
/// How long a graceful stop (SIGTERM) may take, and how the layers above must wait for it. The Supervisor stops the
/// container and kills it after config.yaml's <c>timeout</c>; inside, s6 waits <c>S6_SERVICES_GRACETIME</c> (set in
/// the Dockerfile) for the program before it kills it; the program needs <see cref="Host"/> at most. Each layer
/// waits longer than the one inside it, so the backup in flight can finish and "offline" is published. Tests check
/// the three numbers against each other.
/// </summary>
internal static class StopBudget
{
    /// <summary>The host's ShutdownTimeout: everything, including the backup in flight, is done within it.</summary>
    public static readonly TimeSpan Host = TimeSpan.FromSeconds(25);

    /// <summary>What the backup in flight may still take after SIGTERM; the rest of the budget publishes and disconnects.</summary>
    public static readonly TimeSpan BackupInFlight = TimeSpan.FromSeconds(15);

    /// <summary>The Dockerfile's S6_SERVICES_GRACETIME, in milliseconds.</summary>
    public const int S6ServicesGraceMilliseconds = 30_000;

    /// <summary>config.yaml's <c>timeout</c>, in seconds.</summary>
    public const int SupervisorSeconds = 40;
}
