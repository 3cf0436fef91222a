using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// One MQTT session over one byte stream: the CONNECT handshake, one receive loop, one send loop that batches frames,
/// and the keep-alive. Acknowledgements are matched by <see cref="AckDispatcher"/>. It never reconnects; when it
/// ends, <see cref="Completion"/> says why. The stream may be a socket (<see cref="ConnectAsync"/>) or anything else,
/// such as an in-memory pipe in tests.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private const int SendBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly MqttClientOptions _options;
    private readonly Func<MqttMessage, CancellationToken, ValueTask> _onMessage;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FrameReader _reader;
    private readonly AckDispatcher _acks = new();
    private readonly KeepAlive _keepAlive;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<ushort> _incomingExactlyOnce = [];
    private int _closed;
    private Task _sendLoop = Task.CompletedTask;

    private MqttConnection(Stream stream, MqttClientOptions options, Func<MqttMessage, CancellationToken, ValueTask> onMessage, ILogger logger, TimeProvider time)
    {
        _stream = stream;
        _options = options;
        _onMessage = onMessage;
        _logger = logger;
        _time = time;
        _reader = new FrameReader(stream, options.MaxIncomingPacketSize);
        _keepAlive = new KeepAlive(options.KeepAlive, options.PingTimeout, time);
    }

    /// <summary>Completes when the connection has ended: null after our own clean DISCONNECT, else the reason.</summary>
    public Task<Exception?> Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>PINGREQs sent so far: the keep-alive at work.</summary>
    public int PingsSent => _keepAlive.PingsSent;

    /// <summary>A PINGREQ is waiting for its PINGRESP.</summary>
    public bool AwaitingPong => _keepAlive.AwaitingPong;

    /// <summary>Opens TCP (and TLS) to the broker and logs in.</summary>
    public static async Task<MqttConnection> ConnectAsync(
        MqttClientOptions options,
        Func<MqttMessage, CancellationToken, ValueTask> onMessage,
        ILogger? logger,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var stream = await MqttTransport.OpenAsync(options, linked.Token);
            return await StartAsync(stream, options, onMessage, logger, time, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttConnectionClosedException($"No answer from the broker at {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0.#} s.", new TimeoutException());
        }
    }

    /// <summary>Logs in over a stream that is already open; the connection owns the stream from here on.</summary>
    public static async Task<MqttConnection> StartAsync(
        Stream stream,
        MqttClientOptions options,
        Func<MqttMessage, CancellationToken, ValueTask> onMessage,
        ILogger? logger,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var connection = new MqttConnection(stream, options, onMessage, logger ?? NullLogger.Instance, time);
        try
        {
            await connection.HandshakeAsync(cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        connection.StartLoops();
        return connection;
    }

    /// <summary>Queues a PUBLISH. For QoS 1 and 2 the waiter hears when it is written, acknowledged, or lost with the connection.</summary>
    public void Publish(MqttMessage message, bool duplicate, IAckWaiter? waiter)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            Send(new PublishPacket(message.Topic, message.Payload, message.QualityOfService, message.Retain, false, 0));
            return;
        }

        ArgumentNullException.ThrowIfNull(waiter);
        var expected = message.QualityOfService == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec;
        if (!_acks.TryRegister(waiter, expected, out var id))
        {
            waiter.Fail(new MqttConnectionClosedException());
            return;
        }

        Send(new PublishPacket(message.Topic, message.Payload, message.QualityOfService, message.Retain, duplicate, id), id);
    }

    public Task PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            Publish(message, false, null);
            return Task.CompletedTask;
        }

        var waiter = new TaskAckWaiter();
        Publish(message, false, waiter);
        return waiter.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<byte>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var ack = (SubAckPacket)await SendWithIdAsync(id => new SubscribePacket(id, subscriptions), MqttPacketType.SubAck, cancellationToken);
        if (ack.ReturnCodes.Count != subscriptions.Count)
        {
            throw new MqttProtocolException($"SubAck holds {ack.ReturnCodes.Count} return codes for {subscriptions.Count} subscriptions.");
        }

        return ack.ReturnCodes;
    }

    public Task UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken) =>
        SendWithIdAsync(id => new UnsubscribePacket(id, filters), MqttPacketType.UnsubAck, cancellationToken);

    /// <summary>Sends DISCONNECT after everything already queued, so the broker discards our will.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Send(DisconnectPacket.Instance);
        _outgoing.Writer.TryComplete();
        try
        {
            await _sendLoop.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException)
        {
            // The broker is gone already; closing is all that is left to do.
        }
        finally
        {
            Close(null);
        }
    }

    /// <summary>Drops the stream without DISCONNECT, as a crash would; the broker then publishes our will.</summary>
    public void Abort(Exception? reason = null) => Close(reason ?? new MqttConnectionClosedException("The connection was aborted."));

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(MqttConnection)));
        await _completion.Task;
        _lifetime.Dispose();
    }

    private async Task<MqttPacket> SendWithIdAsync(Func<ushort, MqttPacketWithId> create, MqttPacketType expected, CancellationToken cancellationToken)
    {
        var waiter = new TaskAckWaiter();
        if (_acks.TryRegister(waiter, expected, out var id))
        {
            Send(create(id));
        }
        else
        {
            waiter.Fail(new MqttConnectionClosedException());
        }

        return await waiter.Task.WaitAsync(cancellationToken);
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var connect = new ConnectPacket
        {
            ClientId = _options.ClientId,
            Username = _options.Username,
            Password = _options.Password,
            CleanSession = _options.CleanSession,
            KeepAliveSeconds = (ushort)Math.Clamp(_options.KeepAlive.TotalSeconds, 0, ushort.MaxValue),
            Will = _options.Will,
        };
        await _stream.WriteAsync(PacketWriter.Encode(connect), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        var frame = await _reader.ReadAsync(cancellationToken)
            ?? throw new MqttConnectionClosedException("The broker closed the connection before answering CONNECT.");
        var packet = PacketReader.Decode(frame.Header, frame.Body.Span);
        if (packet is not ConnAckPacket connAck)
        {
            throw new MqttProtocolException($"The broker answered CONNECT with {packet.Type} instead of CONNACK.");
        }

        if (connAck.ReturnCode != MqttConnectReturnCode.Accepted)
        {
            throw new MqttConnectException(connAck.ReturnCode);
        }

        _keepAlive.Sent();
    }

    private void StartLoops()
    {
        var token = _lifetime.Token;
        _sendLoop = Task.Run(() => SendLoopAsync(token), CancellationToken.None);
        _ = Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None);
        if (_options.KeepAlive > TimeSpan.Zero)
        {
            _ = Task.Run(() => _keepAlive.RunAsync(() => Send(PingReqPacket.Instance), Close, token), CancellationToken.None);
        }
    }

    private void Send(MqttPacket packet, ushort packetId = 0)
    {
        var size = PacketWriter.GetFrameSize(packet);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        PacketWriter.Write(packet, buffer);
        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(buffer, size, packetId)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new byte[SendBufferSize];
        var written = new List<ushort>();
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                var filled = 0;
                written.Clear();
                while (reader.TryRead(out var frame))
                {
                    if (frame.Length > batch.Length - filled && filled > 0)
                    {
                        await _stream.WriteAsync(batch.AsMemory(0, filled), cancellationToken);
                        filled = 0;
                    }

                    if (frame.Length > batch.Length)
                    {
                        await _stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length), cancellationToken);
                    }
                    else
                    {
                        frame.Buffer.AsSpan(0, frame.Length).CopyTo(batch.AsSpan(filled));
                        filled += frame.Length;
                    }

                    ArrayPool<byte>.Shared.Return(frame.Buffer);
                    if (frame.PacketId != 0)
                    {
                        written.Add(frame.PacketId);
                    }
                }

                if (filled > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, filled), cancellationToken);
                }

                await _stream.FlushAsync(cancellationToken);
                _keepAlive.Sent();
                foreach (var id in written)
                {
                    _acks.MarkWritten(id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Close(new MqttConnectionClosedException($"Sending to the broker failed: {ex.Message}", ex));
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var frame = await _reader.ReadAsync(cancellationToken);
                if (frame is null)
                {
                    Close(new MqttConnectionClosedException("The broker closed the connection."));
                    return;
                }

                var packet = PacketReader.Decode(frame.Value.Header, frame.Value.Body.Span);
                await HandleAsync(packet, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (MqttException ex)
        {
            Close(ex);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Close(new MqttConnectionClosedException($"Reading from the broker failed: {ex.Message}", ex));
        }
    }

    private async ValueTask HandleAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case PublishPacket publish:
                await ReceivePublishAsync(publish, cancellationToken);
                break;
            case PubRelPacket pubRel:
                lock (_incomingExactlyOnce)
                {
                    _incomingExactlyOnce.Remove(pubRel.PacketId);
                }

                Send(new PubCompPacket(pubRel.PacketId));
                break;
            case PubRecPacket pubRec:
                // Our QoS 2 publish reached the broker; release it and wait for PUBCOMP.
                if (_acks.Acknowledge(pubRec))
                {
                    Send(new PubRelPacket(pubRec.PacketId));
                }
                else
                {
                    MqttLog.UnknownAcknowledgement(_logger, pubRec.Type.ToString(), pubRec.PacketId);
                }

                break;
            case PubAckPacket or PubCompPacket or SubAckPacket or UnsubAckPacket:
                var ack = (MqttPacketWithId)packet;
                if (!_acks.Acknowledge(ack))
                {
                    MqttLog.UnknownAcknowledgement(_logger, ack.Type.ToString(), ack.PacketId);
                }

                break;
            case PingRespPacket:
                _keepAlive.PongReceived();
                break;
            default:
                throw new MqttProtocolException($"Unexpected {packet.Type} packet from the broker.");
        }
    }

    private async ValueTask ReceivePublishAsync(PublishPacket publish, CancellationToken cancellationToken)
    {
        switch (publish.QualityOfService)
        {
            case MqttQualityOfService.AtMostOnce:
                await _onMessage(publish.ToMessage(), cancellationToken);
                break;
            case MqttQualityOfService.AtLeastOnce:
                await _onMessage(publish.ToMessage(), cancellationToken);
                Send(new PubAckPacket(publish.PacketId));
                break;
            default:
                bool isNew;
                lock (_incomingExactlyOnce)
                {
                    isNew = _incomingExactlyOnce.Add(publish.PacketId);
                }

                // A resent QoS 2 message whose PUBREL has not come yet is the same message: deliver it once.
                if (isNew)
                {
                    await _onMessage(publish.ToMessage(), cancellationToken);
                }

                Send(new PubRecPacket(publish.PacketId));
                break;
        }
    }

    private void Close(Exception? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _lifetime.Cancel();
        _outgoing.Writer.TryComplete();
        _stream.Dispose();
        while (_outgoing.Reader.TryRead(out var frame))
        {
            ArrayPool<byte>.Shared.Return(frame.Buffer);
        }

        _acks.FailAll(new MqttConnectionClosedException(reason?.Message ?? "The connection was closed.", reason));
        _completion.TrySetResult(reason);
    }
}
