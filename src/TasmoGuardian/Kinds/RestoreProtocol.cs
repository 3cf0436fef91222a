using TasmoGuardian.Devices;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds;

/// <summary>
/// A kind's restore, typed by what it reads a stored backup as (<typeparamref name="T"/>): the worker sees the plain
/// <see cref="IRestoreProtocol"/>, the kind works with its own image, and the one check that an image came from this
/// kind is here instead of a cast in every step.
/// </summary>
internal abstract class RestoreProtocol<T> : IRestoreProtocol
    where T : notnull
{
    RestoreImage IRestoreProtocol.Open(byte[] stored, string? recordedPlatform) => Open(stored, recordedPlatform);

    string? IRestoreProtocol.Refuses(RestoreImage image, DownloadedBackup current) => Refuses(Typed(image), current);

    Task IRestoreProtocol.UploadAsync(DeviceAccess access, RestoreImage image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken) =>
        UploadAsync(access, Typed(image), before, restarted, cancellationToken);

    string? IRestoreProtocol.Differences(RestoreImage image, DownloadedBackup after) => Differences(Typed(image), after);

    /// <inheritdoc cref="IRestoreProtocol.Open"/>
    public abstract RestoreImage<T> Open(byte[] stored, string? recordedPlatform);

    /// <inheritdoc cref="IRestoreProtocol.ProbeAsync"/>
    public abstract Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken);

    /// <inheritdoc cref="IRestoreProtocol.Refuses"/>
    public virtual string? Refuses(RestoreImage<T> image, DownloadedBackup current) => null;

    /// <inheritdoc cref="IRestoreProtocol.UploadAsync"/>
    public abstract Task UploadAsync(DeviceAccess access, RestoreImage<T> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken);

    /// <inheritdoc cref="IRestoreProtocol.Differences"/>
    public abstract string? Differences(RestoreImage<T> image, DownloadedBackup after);

    private static RestoreImage<T> Typed(RestoreImage image) =>
        image as RestoreImage<T> ?? throw new ArgumentException($"The image was not opened by this kind's restore ({typeof(T).Name} expected).", nameof(image));
}
