namespace TasmoGuardian.Backups;

/// <summary>A verified configuration, ready to be written: the bytes, the file extension and the version inside.</summary>
internal sealed record DownloadedBackup(byte[] Content, string Extension, string? Version);
