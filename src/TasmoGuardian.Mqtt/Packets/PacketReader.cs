using System.Buffers.Binary;
using System.Text;

namespace TasmoGuardian.Mqtt.Packets;

/// <summary>Turns bytes into packets. Every rule broken by the peer is a <see cref="MqttProtocolException"/> naming it.</summary>
internal static class PacketReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes one whole frame (fixed header, remaining length and body), as tests and tools hold it.</summary>
    public static MqttPacket DecodeFrame(ReadOnlySpan<byte> frame, int maxRemainingLength = VariableByteInteger.MaxValue)
    {
        if (frame.Length < 2)
        {
            throw new MqttProtocolException("Truncated packet: no fixed header.");
        }

        if (!VariableByteInteger.TryRead(frame[1..], out var remaining, out var consumed))
        {
            throw new MqttProtocolException("Truncated packet: incomplete remaining length.");
        }

        if (remaining > maxRemainingLength)
        {
            throw new MqttProtocolException($"Packet of {remaining} bytes exceeds the limit of {maxRemainingLength} bytes.");
        }

        var body = frame[(1 + consumed)..];
        if (body.Length != remaining)
        {
            throw new MqttProtocolException($"Remaining length says {remaining} bytes but the frame holds {body.Length}.");
        }

        return Decode(frame[0], body);
    }

    public static MqttPacket Decode(byte fixedHeader, ReadOnlySpan<byte> body)
    {
        var type = (MqttPacketType)(fixedHeader >> 4);
        var flags = fixedHeader & 0x0F;
        switch (type)
        {
            case MqttPacketType.Publish:
                return DecodePublish(flags, body);
            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                if (flags != 0x02)
                {
                    throw new MqttProtocolException($"{type} packet with reserved flags {flags:X1} instead of 2.");
                }

                break;
            case >= MqttPacketType.Connect and <= MqttPacketType.Disconnect:
                if (flags != 0)
                {
                    throw new MqttProtocolException($"{type} packet with reserved flags {flags:X1} instead of 0.");
                }

                break;
            default:
                throw new MqttProtocolException($"Unknown packet type {(int)type}.");
        }

        var r = new SpanReader(body, type);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref r),
            MqttPacketType.ConnAck => DecodeConnAck(ref r),
            MqttPacketType.PubAck => new PubAckPacket(r.PacketId()),
            MqttPacketType.PubRec => new PubRecPacket(r.PacketId()),
            MqttPacketType.PubRel => new PubRelPacket(r.PacketId()),
            MqttPacketType.PubComp => new PubCompPacket(r.PacketId()),
            MqttPacketType.Subscribe => DecodeSubscribe(ref r),
            MqttPacketType.SubAck => DecodeSubAck(ref r),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref r),
            MqttPacketType.UnsubAck => new UnsubAckPacket(r.PacketId()),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            _ => DisconnectPacket.Instance,
        };
        r.EnsureEnd();
        return packet;
    }

    private static PublishPacket DecodePublish(int flags, ReadOnlySpan<byte> body)
    {
        var qos = (flags >> 1) & 0x03;
        if (qos == 3)
        {
            throw new MqttProtocolException("Publish packet with QoS 3.");
        }

        var duplicate = (flags & 0x08) != 0;
        if (qos == 0 && duplicate)
        {
            // [MQTT-3.3.1-2]
            throw new MqttProtocolException("Publish packet with QoS 0 and the DUP flag set.");
        }

        var r = new SpanReader(body, MqttPacketType.Publish);
        var topic = r.String("topic name");
        if (!TopicFilter.IsValidTopicName(topic))
        {
            throw new MqttProtocolException($"Publish packet with an invalid topic name '{Printable(topic)}'.");
        }

        ushort id = 0;
        if (qos > 0)
        {
            id = r.PacketId();
        }

        var payload = r.Rest().ToArray();
        return new PublishPacket(topic, payload, (MqttQualityOfService)qos, (flags & 0x01) != 0, duplicate, id);
    }

    private static ConnectPacket DecodeConnect(ref SpanReader r)
    {
        var name = r.String("protocol name");
        if (name != "MQTT")
        {
            throw new MqttProtocolException($"Connect packet with protocol name '{Printable(name)}' instead of 'MQTT'.");
        }

        var level = r.Byte();
        if (level != 4)
        {
            throw new MqttProtocolException($"Connect packet with protocol level {level}; only 4 (MQTT 3.1.1) is supported.");
        }

        var flags = r.Byte();
        if ((flags & 0x01) != 0)
        {
            // [MQTT-3.1.2-3]
            throw new MqttProtocolException("Connect packet with the reserved flag set.");
        }

        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        if (!hasWill && (willQos != 0 || willRetain))
        {
            // [MQTT-3.1.2-13], [MQTT-3.1.2-15]
            throw new MqttProtocolException("Connect packet with will QoS or retain but no will.");
        }

        if (willQos == 3)
        {
            throw new MqttProtocolException("Connect packet with will QoS 3.");
        }

        var hasPassword = (flags & 0x40) != 0;
        var hasUser = (flags & 0x80) != 0;
        if (hasPassword && !hasUser)
        {
            // [MQTT-3.1.2-22]
            throw new MqttProtocolException("Connect packet with a password but no user name.");
        }

        var keepAlive = r.UInt16();
        var clientId = r.String("client id");
        MqttMessage? will = null;
        if (hasWill)
        {
            var willTopic = r.String("will topic");
            var willLength = r.UInt16();
            var willPayload = r.Bytes(willLength).ToArray();
            will = new MqttMessage(willTopic, willPayload, (MqttQualityOfService)willQos, willRetain);
        }

        var user = hasUser ? r.String("user name") : null;
        var password = hasPassword ? r.String("password") : null;
        return new ConnectPacket
        {
            ClientId = clientId,
            Username = user,
            Password = password,
            KeepAliveSeconds = keepAlive,
            CleanSession = (flags & 0x02) != 0,
            Will = will,
        };
    }

    private static ConnAckPacket DecodeConnAck(ref SpanReader r)
    {
        var ackFlags = r.Byte();
        if ((ackFlags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"ConnAck packet with reserved acknowledge flags {ackFlags:X2}.");
        }

        var code = r.Byte();
        if (code > (byte)MqttConnectReturnCode.NotAuthorized)
        {
            throw new MqttProtocolException($"ConnAck packet with unknown return code {code}.");
        }

        return new ConnAckPacket((ackFlags & 0x01) != 0, (MqttConnectReturnCode)code);
    }

    private static SubscribePacket DecodeSubscribe(ref SpanReader r)
    {
        var id = r.PacketId();
        var list = new List<MqttTopicSubscription>();
        while (!r.AtEnd)
        {
            var filter = r.String("topic filter");
            if (!TopicFilter.IsValidFilter(filter))
            {
                throw new MqttProtocolException($"Subscribe packet with an invalid topic filter '{Printable(filter)}'.");
            }

            var qos = r.Byte();
            if (qos > 2)
            {
                // [MQTT-3.8.3-4]: reserved bits must be zero and QoS at most 2.
                throw new MqttProtocolException($"Subscribe packet with requested QoS byte {qos:X2}.");
            }

            list.Add(new MqttTopicSubscription(filter, (MqttQualityOfService)qos));
        }

        if (list.Count == 0)
        {
            // [MQTT-3.8.3-3]
            throw new MqttProtocolException("Subscribe packet without any topic filter.");
        }

        return new SubscribePacket(id, list);
    }

    private static SubAckPacket DecodeSubAck(ref SpanReader r)
    {
        var id = r.PacketId();
        var codes = r.Rest().ToArray();
        if (codes.Length == 0)
        {
            throw new MqttProtocolException("SubAck packet without any return code.");
        }

        foreach (var code in codes)
        {
            if (code > 2 && code != SubAckPacket.Failure)
            {
                throw new MqttProtocolException($"SubAck packet with return code {code:X2}.");
            }
        }

        return new SubAckPacket(id, codes);
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref SpanReader r)
    {
        var id = r.PacketId();
        var filters = new List<string>();
        while (!r.AtEnd)
        {
            filters.Add(r.String("topic filter"));
        }

        if (filters.Count == 0)
        {
            // [MQTT-3.10.3-2]
            throw new MqttProtocolException("Unsubscribe packet without any topic filter.");
        }

        return new UnsubscribePacket(id, filters);
    }

    private static string Printable(string value) =>
        value.Length > 80 ? string.Concat(value.AsSpan(0, 80), "…") : value;

    private ref struct SpanReader
    {
        private readonly ReadOnlySpan<byte> _span;
        private readonly MqttPacketType _type;
        private int _offset;

        public SpanReader(ReadOnlySpan<byte> span, MqttPacketType type)
        {
            _span = span;
            _type = type;
            _offset = 0;
        }

        public readonly bool AtEnd => _offset == _span.Length;

        public byte Byte()
        {
            Need(1);
            return _span[_offset++];
        }

        public ushort UInt16()
        {
            Need(2);
            var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_offset..]);
            _offset += 2;
            return value;
        }

        public ushort PacketId()
        {
            var id = UInt16();
            if (id == 0)
            {
                // [MQTT-2.3.1-1]
                throw new MqttProtocolException($"{_type} packet with packet identifier 0.");
            }

            return id;
        }

        public ReadOnlySpan<byte> Bytes(int count)
        {
            Need(count);
            var slice = _span.Slice(_offset, count);
            _offset += count;
            return slice;
        }

        public ReadOnlySpan<byte> Rest()
        {
            var slice = _span[_offset..];
            _offset = _span.Length;
            return slice;
        }

        public string String(string what)
        {
            var length = UInt16();
            var bytes = Bytes(length);
            string value;
            try
            {
                value = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                // [MQTT-1.5.3-1]
                throw new MqttProtocolException($"{_type} packet: the {what} is not valid UTF-8.", ex);
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                // [MQTT-1.5.3-2]
                throw new MqttProtocolException($"{_type} packet: the {what} contains U+0000.");
            }

            return value;
        }

        public readonly void EnsureEnd()
        {
            if (!AtEnd)
            {
                throw new MqttProtocolException($"{_type} packet has {_span.Length - _offset} unexpected trailing bytes.");
            }
        }

        private readonly void Need(int count)
        {
            if (_span.Length - _offset < count)
            {
                throw new MqttProtocolException($"Truncated {_type} packet: {count} more bytes expected, {_span.Length - _offset} left.");
            }
        }
    }
}
