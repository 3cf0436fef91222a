using System.Buffers.Binary;
using System.Text;

namespace TasmoGuardian.Mqtt.Packets;

/// <summary>Turns packets into bytes. No I/O: the caller owns the buffer.</summary>
internal static class PacketWriter
{
    private const byte ProtocolLevel = 4;
    private static readonly byte[] ProtocolName = "MQTT"u8.ToArray();

    /// <summary>The whole frame: fixed header, remaining length and body.</summary>
    public static int GetFrameSize(MqttPacket packet)
    {
        var remaining = GetRemainingLength(packet);
        return 1 + VariableByteInteger.SizeOf(remaining) + remaining;
    }

    public static byte[] Encode(MqttPacket packet)
    {
        var frame = new byte[GetFrameSize(packet)];
        Write(packet, frame);
        return frame;
    }

    /// <returns>The number of bytes written, equal to <see cref="GetFrameSize"/>.</returns>
    public static int Write(MqttPacket packet, Span<byte> destination)
    {
        var remaining = GetRemainingLength(packet);
        destination[0] = FixedHeader(packet);
        var offset = 1 + VariableByteInteger.Write(remaining, destination[1..]);
        var body = destination.Slice(offset, remaining);
        WriteBody(packet, body);
        return offset + remaining;
    }

    private static byte FixedHeader(MqttPacket packet)
    {
        var header = (byte)((byte)packet.Type << 4);
        return packet switch
        {
            PublishPacket p => (byte)(header | (p.Duplicate ? 0x08 : 0) | ((byte)p.QualityOfService << 1) | (p.Retain ? 0x01 : 0)),
            // [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1]: these carry the reserved flags 0010.
            PubRelPacket or SubscribePacket or UnsubscribePacket => (byte)(header | 0x02),
            _ => header,
        };
    }

    private static int GetRemainingLength(MqttPacket packet)
    {
        var length = packet switch
        {
            ConnectPacket c => ConnectLength(c),
            ConnAckPacket => 2,
            PublishPacket p => StringSize(p.Topic) + (p.QualityOfService == MqttQualityOfService.AtMostOnce ? 0 : 2) + p.Payload.Length,
            PubAckPacket or PubRecPacket or PubRelPacket or PubCompPacket or UnsubAckPacket => 2,
            SubscribePacket s => 2 + s.Subscriptions.Sum(x => StringSize(x.Filter) + 1),
            SubAckPacket s => 2 + s.ReturnCodes.Count,
            UnsubscribePacket u => 2 + u.Filters.Sum(StringSize),
            PingReqPacket or PingRespPacket or DisconnectPacket => 0,
            _ => throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet)),
        };
        if (length > VariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"A {packet.Type} packet of {length} bytes is beyond MQTT's limit.", nameof(packet));
        }

        return length;
    }

    private static int ConnectLength(ConnectPacket c)
    {
        var length = 2 + ProtocolName.Length + 1 + 1 + 2 + StringSize(c.ClientId);
        if (c.Will is { } will)
        {
            length += StringSize(will.Topic) + 2 + will.Payload.Length;
        }

        if (c.Username is not null)
        {
            length += StringSize(c.Username);
        }

        if (c.Password is not null)
        {
            length += StringSize(c.Password);
        }

        return length;
    }

    private static void WriteBody(MqttPacket packet, Span<byte> body)
    {
        var w = new SpanWriter(body);
        switch (packet)
        {
            case ConnectPacket c:
                WriteConnect(ref w, c);
                break;
            case ConnAckPacket a:
                w.Byte(a.SessionPresent ? (byte)1 : (byte)0);
                w.Byte((byte)a.ReturnCode);
                break;
            case PublishPacket p:
                w.String(p.Topic);
                if (p.QualityOfService != MqttQualityOfService.AtMostOnce)
                {
                    w.UInt16(p.PacketId);
                }

                w.Bytes(p.Payload.Span);
                break;
            case MqttPacketWithId { } withId when packet is PubAckPacket or PubRecPacket or PubRelPacket or PubCompPacket or UnsubAckPacket:
                w.UInt16(withId.PacketId);
                break;
            case SubscribePacket s:
                w.UInt16(s.PacketId);
                foreach (var sub in s.Subscriptions)
                {
                    w.String(sub.Filter);
                    w.Byte((byte)sub.QualityOfService);
                }

                break;
            case SubAckPacket s:
                w.UInt16(s.PacketId);
                foreach (var code in s.ReturnCodes)
                {
                    w.Byte(code);
                }

                break;
            case UnsubscribePacket u:
                w.UInt16(u.PacketId);
                foreach (var filter in u.Filters)
                {
                    w.String(filter);
                }

                break;
        }
    }

    private static void WriteConnect(ref SpanWriter w, ConnectPacket c)
    {
        // [MQTT-3.1.2-22]: a password without a user name is not allowed.
        if (c.Password is not null && c.Username is null)
        {
            throw new ArgumentException("MQTT 3.1.1 does not allow a password without a user name.", nameof(c));
        }

        w.UInt16((ushort)ProtocolName.Length);
        w.Bytes(ProtocolName);
        w.Byte(ProtocolLevel);
        byte flags = 0;
        if (c.CleanSession)
        {
            flags |= 0x02;
        }

        if (c.Will is { } will)
        {
            flags |= 0x04;
            flags |= (byte)((byte)will.QualityOfService << 3);
            if (will.Retain)
            {
                flags |= 0x20;
            }
        }

        if (c.Password is not null)
        {
            flags |= 0x40;
        }

        if (c.Username is not null)
        {
            flags |= 0x80;
        }

        w.Byte(flags);
        w.UInt16(c.KeepAliveSeconds);
        w.String(c.ClientId);
        if (c.Will is { } w2)
        {
            w.String(w2.Topic);
            w.UInt16((ushort)w2.Payload.Length);
            w.Bytes(w2.Payload.Span);
        }

        if (c.Username is not null)
        {
            w.String(c.Username);
        }

        if (c.Password is not null)
        {
            w.String(c.Password);
        }
    }

    private static int StringSize(string value)
    {
        var size = Encoding.UTF8.GetByteCount(value);
        if (size > ushort.MaxValue)
        {
            throw new ArgumentException($"A string of {size} UTF-8 bytes does not fit MQTT's 65535-byte limit.", nameof(value));
        }

        return 2 + size;
    }

    private ref struct SpanWriter
    {
        private readonly Span<byte> _span;
        private int _offset;

        public SpanWriter(Span<byte> span)
        {
            _span = span;
            _offset = 0;
        }

        public void Byte(byte value) => _span[_offset++] = value;

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_span[_offset..], value);
            _offset += 2;
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_span[_offset..]);
            _offset += value.Length;
        }

        public void String(string value)
        {
            var written = Encoding.UTF8.GetBytes(value, _span[(_offset + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(_span[_offset..], (ushort)written);
            _offset += 2 + written;
        }
    }
}
