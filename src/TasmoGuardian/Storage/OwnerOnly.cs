using System.Runtime.InteropServices;

namespace TasmoGuardian.Storage;

/// <summary>
/// Backups and the database hold Wi-Fi, MQTT and web passwords: they are readable by their owner only (files 0600,
/// folders 0700), and a rename that publishes a backup is made durable by flushing its folder, so a power cut right
/// after a backup cannot leave the database's row without its file (rename(2) is durable only once the directory is).
/// </summary>
internal static partial class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const int ReadOnly = 0;

    // O_DIRECTORY: open fails unless the path is a folder.
    private const int Directory = 0x10000;

    /// <summary>Creates the folder (and its parents) owner-only; an existing folder is tightened.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        System.IO.Directory.CreateDirectory(path, FolderMode);
        Tighten(path, FolderMode);
    }

    /// <summary>Takes group and other permissions away from an existing file or folder; quietly does nothing elsewhere.</summary>
    public static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var current = File.GetUnixFileMode(path);
            if ((current & ~mode) != 0)
            {
                File.SetUnixFileMode(path, current & mode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (a share that keeps its own permissions): the backup itself matters more.
        }
    }

    /// <summary>Flushes a folder's entries (a rename into it) to the disk; false where the system cannot.</summary>
    public static bool SyncFolder(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Sync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Sync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
