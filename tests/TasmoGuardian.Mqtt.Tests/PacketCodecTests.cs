using System.Text;
using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt.Tests;

public sealed class PacketCodecTests
{
    public static TheoryData<string> GoldenHex => new(Golden.Keys);

    private static Dictionary<string, MqttPacket> Golden => new()
    {
        // Fixed-size packets.
        ["C000"] = PingReqPacket.Instance,
        ["D000"] = PingRespPacket.Instance,
        ["E000"] = DisconnectPacket.Instance,
        ["20020000"] = new ConnAckPacket(false, MqttConnectReturnCode.Accepted),
        ["20020105"] = new ConnAckPacket(true, MqttConnectReturnCode.NotAuthorized),
        ["4002000A"] = new PubAckPacket(10),
        ["5002FFFF"] = new PubRecPacket(65535),
        ["62020001"] = new PubRelPacket(1),
        ["70020102"] = new PubCompPacket(258),
        ["B0020007"] = new UnsubAckPacket(7),

        // Publish: retained QoS 0, then QoS 1 with DUP.
        ["310700032F2F626869"] = new PublishPacket("//b", "hi"u8.ToArray(), MqttQualityOfService.AtMostOnce, true, false, 0),
        ["3A060001740005" + "78"] = new PublishPacket("t", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce, false, true, 5),
        ["3405000161" + "0009"] = new PublishPacket("a", Array.Empty<byte>(), MqttQualityOfService.ExactlyOnce, false, false, 9),

        // Subscribe family.
        ["8208000100036120" + "6201"] = new SubscribePacket(1, [new MqttTopicSubscription("a b", MqttQualityOfService.AtLeastOnce)]),
        ["900400010180"] = new SubAckPacket(1, [1, 0x80]),
        ["A2070002000361" + "2F62"] = new UnsubscribePacket(2, ["a/b"]),

        // Connect with every field: clean session, will QoS 1 retained, user and password, keep-alive 60.
        ["1019" + "00044D515454" + "04" + "EE" + "003C" + "000163" + "000177" + "00016F" + "000175" + "000170"] = new ConnectPacket
            {
                ClientId = "c",
                CleanSession = true,
                KeepAliveSeconds = 60,
                Username = "u",
                Password = "p",
                Will = new MqttMessage("w", "o"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true),
            },

        // Minimal connect: no flags but clean session.
        ["100D" + "00044D515454" + "04" + "02" + "001E" + "000178"] = new ConnectPacket { ClientId = "x", KeepAliveSeconds = 30 },
    };

    [Theory]
    [MemberData(nameof(GoldenHex))]
    public void Encode_GivesSpecBytes(string hex) =>
        Assert.Equal(hex, Convert.ToHexString(PacketWriter.Encode(Golden[hex])));

    [Theory]
    [MemberData(nameof(GoldenHex))]
    public void Decode_ReadsSpecBytes_BackIntoTheSamePacket(string hex)
    {
        var decoded = PacketReader.DecodeFrame(Convert.FromHexString(hex));

        Assert.Equal(Describe(Golden[hex]), Describe(decoded));
    }

    [Fact]
    public void RoundTrip_KeepsEveryField_ForALargePublish()
    {
        var payload = new byte[200_000];
        new Random(42).NextBytes(payload);
        var packet = new PublishPacket("tasmota/discovery/A1B2C3D4E5F6/config", payload, MqttQualityOfService.AtLeastOnce, true, false, 4242);

        var frame = PacketWriter.Encode(packet);
        var decoded = Assert.IsType<PublishPacket>(PacketReader.DecodeFrame(frame));

        // Fixed header, a 3-byte remaining length, topic, packet id, payload.
        Assert.Equal(1 + 3 + 2 + packet.Topic.Length + 2 + payload.Length, frame.Length);
        Assert.Equal(payload, decoded.Payload.ToArray());
        Assert.Equal(packet.Topic, decoded.Topic);
        Assert.True(decoded.Retain);
        Assert.Equal(4242, decoded.PacketId);
    }

    [Fact]
    public void RoundTrip_KeepsUnicodeTopicsAndFilters()
    {
        var subscribe = new SubscribePacket(3, [new("küche/+/état", MqttQualityOfService.ExactlyOnce), new("#", MqttQualityOfService.AtMostOnce)]);
        var decoded = Assert.IsType<SubscribePacket>(PacketReader.DecodeFrame(PacketWriter.Encode(subscribe)));

        Assert.Equal(subscribe.Subscriptions, decoded.Subscriptions);
    }

    [Fact]
    public void ConnectToString_NeverShowsThePassword()
    {
        var connect = new ConnectPacket { ClientId = "c", Username = "user", Password = "hunter2" };

        Assert.DoesNotContain("hunter2", connect.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", connect.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_Refuses_APasswordWithoutAUserName() =>
        Assert.Throws<ArgumentException>(() => PacketWriter.Encode(new ConnectPacket { ClientId = "c", Password = "p" }));

    [Theory]
    // Fixed header is wrong.
    [InlineData("0000", "Unknown packet type 0")]
    [InlineData("F000", "Unknown packet type 15")]
    [InlineData("C100", "reserved flags")]
    [InlineData("80080001000361206201", "reserved flags")]
    [InlineData("A0070002000361" + "2F62", "reserved flags")]
    [InlineData("60020001", "reserved flags")]
    // Publish is wrong.
    [InlineData("3605000161" + "0009", "QoS 3")]
    [InlineData("38030001" + "61", "DUP")]
    [InlineData("30030001" + "2B", "invalid topic name")]
    [InlineData("300400022B61", "invalid topic name")]
    [InlineData("300400022361", "invalid topic name")]
    [InlineData("30040002C328", "not valid UTF-8")]
    [InlineData("300400020061", "U+0000")]
    [InlineData("32050001610000", "packet identifier 0")]
    [InlineData("3002" + "0005", "Truncated")]
    [InlineData("30050000", "Remaining length says 5")]
    // Acknowledgements are wrong.
    [InlineData("40020000", "packet identifier 0")]
    [InlineData("400100", "Truncated")]
    [InlineData("4003000100", "trailing")]
    [InlineData("20020006", "unknown return code")]
    [InlineData("20020200", "reserved acknowledge flags")]
    [InlineData("D00100", "trailing")]
    // Subscribe family is wrong.
    [InlineData("82020001", "without any topic filter")]
    [InlineData("820800010003612F6203", "requested QoS")]
    [InlineData("8207000100026" + "12B00", "invalid topic filter")]
    [InlineData("82080001000323" + "2F6100", "invalid topic filter")]
    [InlineData("90020001", "without any return code")]
    [InlineData("9003000103", "return code 03")]
    [InlineData("A2020001", "without any topic filter")]
    // Connect is wrong.
    [InlineData("100D00044D5154580402001E000178", "protocol name")]
    [InlineData("100D00044D5154540302001E000178", "protocol level 3")]
    [InlineData("100D00044D5154540403001E000178", "reserved flag")]
    [InlineData("100D00044D5154540422001E000178", "will QoS or retain but no will")]
    [InlineData("1010" + "00044D515454" + "04" + "42" + "001E" + "000178" + "000170", "password but no user name")]
    public void Decode_Throws_WhenThePacketIsMalformed(string hex, string expected)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketReader.DecodeFrame(Convert.FromHexString(hex)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeFrame_Throws_WhenTheRemainingLengthIsBeyondTheLimit()
    {
        var frame = PacketWriter.Encode(new PublishPacket("t", new byte[2000], MqttQualityOfService.AtMostOnce, false, false, 0));

        var ex = Assert.Throws<MqttProtocolException>(() => PacketReader.DecodeFrame(frame, maxRemainingLength: 1024));
        Assert.Contains("exceeds the limit of 1024 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NeverThrowsAnythingElse_OnRandomBytes()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 40)];
            random.NextBytes(frame);
            try
            {
                PacketReader.DecodeFrame(frame);
            }
            catch (MqttProtocolException)
            {
            }
        }
    }

    private static string Describe(MqttPacket packet) => packet switch
    {
        PublishPacket p => $"{p}|{Convert.ToHexString(p.Payload.Span)}",
        ConnectPacket c => $"{c.ClientId}|{c.Username}|{c.Password}|{c.KeepAliveSeconds}|{c.CleanSession}|{c.Will?.Topic}|{(c.Will is null ? "" : Encoding.UTF8.GetString(c.Will.Payload.Span))}|{c.Will?.QualityOfService}|{c.Will?.Retain}",
        _ => packet.ToString()!,
    };
}
