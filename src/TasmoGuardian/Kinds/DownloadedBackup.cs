using TasmoGuardian.Net;
using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds;

/// <summary>A checked configuration, ready to be written: the bytes, the file extension, the firmware version inside, and the chip it is for.</summary>
internal sealed record DownloadedBackup(byte[] Content, string Extension, string? Version, string? Platform = null)
{
    /// <summary>
    /// The device's user files as a zip, saved beside the main file as <c>{stem}.files.zip</c> and belonging to the
    /// same backup (Tasmota's Berry scripts); null when the device has none.
    /// </summary>
    public byte[]? Files { get; init; }

    /// <summary>What the user should know about this backup (what the firmware leaves out), shown with the result; null when nothing.</summary>
    public string? Note { get; init; }
}
