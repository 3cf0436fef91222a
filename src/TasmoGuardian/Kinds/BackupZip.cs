using System.IO.Compression;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;

namespace TasmoGuardian.Kinds;

/// <summary>
/// A backup of several parts (contract.md, "Other device types"): one zip holding the device's files under the names
/// the device uses, in the order they were added, each already checked. Read back for a restore.
/// </summary>
internal sealed class BackupZip
{
    private readonly List<(string Name, byte[] Content)> _parts = [];

    public IReadOnlyList<string> Names => [.. _parts.Select(p => p.Name)];

    public void Add(string name, byte[] content)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);
        _parts.Add((name, content));
    }

    /// <summary>The zip, its entries stamped with the current local time, as a file manager shows it.</summary>
    public byte[] ToArray(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var stamp = TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in _parts)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return zip.ToArray();
    }

    /// <summary>A stored zip's entry that must be there.</summary>
    public static byte[] Entry(IReadOnlyDictionary<string, byte[]> entries, string name)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.TryGetValue(name, out var content) ? content : throw DeviceException.Of(FailureKind.NotADump, $"the stored backup has no {name}");
    }

    /// <summary>
    /// The firmware version the backup's info.json (the identification answer kept with it) tells, read by the kind's
    /// <paramref name="version"/>; null when it has none.
    /// </summary>
    public static string? InfoVersion(IReadOnlyDictionary<string, byte[]> entries, Func<JsonElement, string?> version)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(version);
        if (!entries.TryGetValue("info.json", out var info) || JsonRead.Object(info, out _) is not { } document)
        {
            return null;
        }

        using (document)
        {
            return version(document.RootElement);
        }
    }

    /// <summary>
    /// What a stored zip's identification answer (<paramref name="entry"/>) says the chip is, read by the kind's own
    /// parser; null when the zip, the entry or the answer cannot tell.
    /// </summary>
    public static string? InfoPlatform(byte[] zip, string entry, Func<byte[], string?> platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        try
        {
            return Read(zip).TryGetValue(entry, out var info) ? platform(info) : null;
        }
        catch (DeviceException)
        {
            return null;
        }
    }

    /// <summary>Every entry of a stored zip by name; a damaged zip is a failure with a reason.</summary>
    public static IReadOnlyDictionary<string, byte[]> Read(byte[] zip)
    {
        ArgumentNullException.ThrowIfNull(zip);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries[entry.FullName] = copy.ToArray();
            }

            return entries;
        }
        catch (InvalidDataException ex)
        {
            throw DeviceException.Of(FailureKind.NotADump, $"the stored backup is not a readable zip ({ex.Message})");
        }
    }
}
