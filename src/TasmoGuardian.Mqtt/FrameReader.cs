using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// Reads whole frames from a stream through one buffer, so small packets cost no extra system call.
/// The body returned stays valid only until the next read.
/// </summary>
internal sealed class FrameReader
{
    private readonly Stream _stream;
    private readonly int _maxRemainingLength;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public FrameReader(Stream stream, int maxRemainingLength)
    {
        _stream = stream;
        _maxRemainingLength = maxRemainingLength;
    }

    /// <returns>The frame, or null when the peer closed the connection between two packets.</returns>
    public async ValueTask<(byte Header, ReadOnlyMemory<byte> Body)?> ReadAsync(CancellationToken cancellationToken)
    {
        int remaining;
        int lengthBytes;
        while (true)
        {
            if (_end - _start >= 2 && VariableByteInteger.TryRead(_buffer.AsSpan(_start + 1, _end - _start - 1), out remaining, out lengthBytes))
            {
                break;
            }

            if (!await FillAsync(cancellationToken))
            {
                if (_end == _start)
                {
                    return null;
                }

                throw new MqttConnectionClosedException("The broker closed the connection in the middle of a packet.");
            }
        }

        if (remaining > _maxRemainingLength)
        {
            throw new MqttProtocolException($"Incoming packet of {remaining} bytes exceeds the limit of {_maxRemainingLength} bytes.");
        }

        var frameLength = 1 + lengthBytes + remaining;
        if (frameLength > _buffer.Length)
        {
            var larger = new byte[frameLength];
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = larger;
        }

        while (_end - _start < frameLength)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new MqttConnectionClosedException("The broker closed the connection in the middle of a packet.");
            }
        }

        var header = _buffer[_start];
        var body = new ReadOnlyMemory<byte>(_buffer, _start + 1 + lengthBytes, remaining);
        _start += frameLength;
        return (header, body);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && (_end == _buffer.Length || _start == _end))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
