namespace TasmoGuardian.Kinds;

/// <summary>
/// A kind's knowledge of what in its backup is the user's configuration and what the device changes by itself (boot
/// counts, save counters, relay states, the build it runs), so that two backups of an unchanged device compare equal.
/// Pure: no device is asked.
/// </summary>
internal interface IBackupComparer
{
    /// <summary>Whether a stored file is a backup of this kind, for <c>--diff</c>, which is given files without their rows.</summary>
    bool Recognizes(BackupContent backup);

    /// <summary>
    /// What differs from <paramref name="previous"/> to <paramref name="current"/>, by readable name, each once, in a
    /// stable order; empty when the configuration is the same.
    /// </summary>
    /// <exception cref="Devices.DeviceException">A file is not a readable backup of this kind.</exception>
    IReadOnlyList<ConfigChange> Compare(BackupContent previous, BackupContent current);
}
