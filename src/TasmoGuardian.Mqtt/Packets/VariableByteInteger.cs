namespace TasmoGuardian.Mqtt.Packets;

/// <summary>The "remaining length" encoding: 7 bits per byte, high bit means "more follows", at most 4 bytes (MQTT 3.1.1, 2.2.3).</summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;
    public const int MaxBytes = 4;

    public static int SizeOf(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        return value switch
        {
            < 128 => 1,
            < 16_384 => 2,
            < 2_097_152 => 3,
            _ => 4,
        };
    }

    public static int Write(int value, Span<byte> destination)
    {
        var size = SizeOf(value);
        var i = 0;
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            if (value > 0)
            {
                digit |= 0x80;
            }

            destination[i++] = digit;
        }
        while (value > 0);
        return size;
    }

    /// <summary>Reads a value from the start of <paramref name="source"/>.</summary>
    /// <returns>false when more bytes are needed.</returns>
    /// <exception cref="MqttProtocolException">A fifth byte would be needed: the encoding is malformed.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        value = 0;
        var multiplier = 1;
        for (var i = 0; i < MaxBytes; i++)
        {
            if (i >= source.Length)
            {
                consumed = 0;
                value = 0;
                return false;
            }

            var b = source[i];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                consumed = i + 1;
                return true;
            }

            multiplier *= 128;
        }

        throw new MqttProtocolException("Malformed remaining length: more than 4 bytes.");
    }
}
