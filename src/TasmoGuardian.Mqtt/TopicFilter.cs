using System.Text;

namespace TasmoGuardian.Mqtt;

/// <summary>Topic names and filters as MQTT 3.1.1 section 4.7 defines them.</summary>
public static class TopicFilter
{
    private const int MaxUtf8Bytes = 65_535;

    /// <summary>
    /// A topic one may publish to: not empty, no wildcards, no control characters, at most 65535 UTF-8 bytes.
    /// MQTT 3.1.1 (1.5.3) forbids U+0000 and says control characters SHOULD NOT appear; mosquitto closes the
    /// connection of a client that sends them, so they are refused here rather than found out there.
    /// </summary>
    public static bool IsValidTopicName(string topic) =>
        !string.IsNullOrEmpty(topic)
        && topic.AsSpan().IndexOfAny('+', '#') < 0
        && !HasControlCharacters(topic)
        && Encoding.UTF8.GetByteCount(topic) <= MaxUtf8Bytes;

    /// <summary>A filter one may subscribe to: '+' fills a whole level, '#' is a whole last level.</summary>
    public static bool IsValidFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter) || HasControlCharacters(filter) || Encoding.UTF8.GetByteCount(filter) > MaxUtf8Bytes)
        {
            return false;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level.Length != 1 || i != levels.Length - 1))
            {
                return false;
            }

            if (level.Contains('+', StringComparison.Ordinal) && level.Length != 1)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasControlCharacters(string text) => text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    /// <summary>Whether a message on <paramref name="topic"/> is delivered to a subscription to <paramref name="filter"/>.</summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);

        // [MQTT-4.7.2-1]: wildcards at the first level do not match topics starting with '$'.
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fEnd = f.IndexOf('/');
            var fLevel = fEnd < 0 ? f : f[..fEnd];
            if (fLevel is "#")
            {
                return true;
            }

            var tEnd = t.IndexOf('/');
            var tLevel = tEnd < 0 ? t : t[..tEnd];
            if (fLevel is not "+" && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fEnd < 0 || tEnd < 0)
            {
                // Both must end together, except that "a/#" also matches "a".
                return fEnd < 0 && tEnd < 0 || (tEnd < 0 && f[(fEnd + 1)..] is "#");
            }

            f = f[(fEnd + 1)..];
            t = t[(tEnd + 1)..];
        }
    }
}
