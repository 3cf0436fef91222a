namespace TasmoGuardian.Kinds;

/// <summary>A stored backup as its files hold it: the main file, and the user files beside it where it has any (Tasmota's <c>.files.zip</c>).</summary>
internal sealed record BackupContent(byte[] Main, byte[]? UserFiles = null);
