using TasmoGuardian.Net;
using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds;

/// <summary>A checked configuration, ready to be written: the bytes, the file extension, the firmware version inside, and the chip it is for.</summary>
internal sealed record DownloadedBackup(byte[] Content, string Extension, string? Version, string? Platform = null);
