using System.Collections.Concurrent;

namespace TasmoGuardian.Backups.Files;

/// <summary>
/// Backups that retention must keep for now: the one a restore is putting back. A restore onto a replacement runs
/// beside ordinary backups of its source, and with a small keep_backups any of them could otherwise prune the very
/// file being restored; held rows are skipped and pruned at the next ordinary backup after the restore ends.
/// </summary>
internal sealed class RetentionHolds
{
    private readonly ConcurrentDictionary<long, int> _held = new();

    public bool IsHeld(long backupId) => _held.ContainsKey(backupId);

    /// <summary>Holds a backup row until the returned handle is disposed; holds of one row by several restores stack.</summary>
    public IDisposable Hold(long backupId)
    {
        _held.AddOrUpdate(backupId, 1, (_, count) => count + 1);
        return new Release(this, backupId);
    }

    private void Drop(long backupId)
    {
        while (_held.TryGetValue(backupId, out var count))
        {
            if (count <= 1 ? _held.TryRemove(new KeyValuePair<long, int>(backupId, count)) : _held.TryUpdate(backupId, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Release(RetentionHolds holds, long backupId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                holds.Drop(backupId);
            }
        }
    }
}
