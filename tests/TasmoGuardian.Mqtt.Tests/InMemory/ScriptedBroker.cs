using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt.Tests.InMemory;

/// <summary>
/// The broker's end of an in-memory link: it accepts CONNECT, then hands every packet the client sends to a script
/// that may answer with any packets, right or wrong. Protocol tests run on it without a real broker or a socket.
/// </summary>
internal sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly Func<MqttPacket, ScriptedBroker, ValueTask> _script;
    private readonly List<MqttPacket> _received = [];
    private readonly List<DuplexPipeStream> _streams = [];
    private readonly CancellationTokenSource _stop = new();
    private DuplexPipeStream? _current;

    public ScriptedBroker(Func<MqttPacket, ScriptedBroker, ValueTask>? script = null)
    {
        _script = script ?? ((packet, broker) => broker.AcknowledgeAsync(packet));
    }

    public int Connections { get; private set; }

    public IReadOnlyList<MqttPacket> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>For <see cref="ManagedMqttClientOptions.Transport"/>: each call is a new connection to this broker.</summary>
    public Task<Stream> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var (client, server) = DuplexPipeStream.CreatePair();
        lock (_streams)
        {
            _streams.Add(server);
        }

        _ = Task.Run(() => ServeAsync(server), CancellationToken.None);
        return Task.FromResult<Stream>(client);
    }

    /// <summary>Opens a bare connection to this broker (no managed client).</summary>
    public async Task<MqttConnection> ConnectDirectAsync(Func<MqttMessage, CancellationToken, ValueTask>? onMessage = null, TimeSpan? keepAlive = null)
    {
        var options = new MqttClientOptions { Host = "memory", ClientId = "in-memory", KeepAlive = keepAlive ?? TimeSpan.Zero };
        var stream = await ConnectAsync(options, CancellationToken.None);
        return await MqttConnection.StartAsync(stream, options, onMessage ?? ((_, _) => ValueTask.CompletedTask), null, TimeProvider.System, MqttTestOptions.Within());
    }

    public async ValueTask SendAsync(MqttPacket packet)
    {
        var stream = _current ?? throw new InvalidOperationException("No client is connected.");
        await stream.WriteAsync(PacketWriter.Encode(packet));
        await stream.FlushAsync();
    }

    /// <summary>What a well-behaved broker answers: PUBACK, PUBREC then PUBCOMP, SUBACK, UNSUBACK, PINGRESP.</summary>
    public ValueTask AcknowledgeAsync(MqttPacket packet) => packet switch
    {
        PublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce } p => SendAsync(new PubAckPacket(p.PacketId)),
        PublishPacket { QualityOfService: MqttQualityOfService.ExactlyOnce } p => SendAsync(new PubRecPacket(p.PacketId)),
        PubRelPacket r => SendAsync(new PubCompPacket(r.PacketId)),
        SubscribePacket s => SendAsync(new SubAckPacket(s.PacketId, s.Subscriptions.Select(x => (byte)x.QualityOfService).ToList())),
        UnsubscribePacket u => SendAsync(new UnsubAckPacket(u.PacketId)),
        PingReqPacket => SendAsync(PingRespPacket.Instance),
        _ => ValueTask.CompletedTask,
    };

    /// <summary>Ends the current connection from the broker's side, as a restart would.</summary>
    public void Drop() => _current?.Dispose();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_streams)
        {
            foreach (var stream in _streams)
            {
                stream.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(DuplexPipeStream stream)
    {
        var reader = new FrameReader(stream, 1024 * 1024);
        try
        {
            var connect = await reader.ReadAsync(_stop.Token);
            if (connect is null)
            {
                return;
            }

            _current = stream;
            Connections++;
            await SendAsync(new ConnAckPacket(false, MqttConnectReturnCode.Accepted));
            while (await reader.ReadAsync(_stop.Token) is { } frame)
            {
                var packet = PacketReader.Decode(frame.Header, frame.Body.Span);
                lock (_received)
                {
                    _received.Add(packet);
                }

                await _script(packet, this);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException or MqttException)
        {
            // The link was closed by either side.
        }
    }
}
