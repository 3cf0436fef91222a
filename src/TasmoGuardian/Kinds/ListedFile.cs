namespace TasmoGuardian.Kinds;

/// <summary>One entry of a device's file listing: its path from the file system's root (no leading slash), and its size when listed.</summary>
internal sealed record ListedFile(string Path, bool IsDirectory, long? Size);
