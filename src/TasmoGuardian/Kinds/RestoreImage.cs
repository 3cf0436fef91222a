namespace TasmoGuardian.Kinds;

/// <summary>A stored backup, checked and ready to be sent: the bytes, and what they say about the device they came from.</summary>
/// <param name="Version">In the form <see cref="DeviceProbe.Version"/> has, so the two can be compared.</param>
internal record RestoreImage(byte[] Content, string? Platform, string? Version)
{
    /// <summary>The backup's user files (<see cref="DownloadedBackup.Files"/>) by name, when it has any.</summary>
    public IReadOnlyDictionary<string, byte[]>? Files { get; init; }
}

/// <summary>A stored backup with the kind's own reading of it (<typeparamref name="T"/>), for its upload and comparison.</summary>
internal sealed record RestoreImage<T>(byte[] Content, string? Platform, string? Version, T Parsed) : RestoreImage(Content, Platform, Version)
    where T : notnull;
