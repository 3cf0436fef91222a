using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// One socket to the broker: the CONNECT handshake, one receive loop, one send loop that batches frames,
/// and one keep-alive loop. It never reconnects; when it ends, <see cref="Completion"/> says why.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private const int SendBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly MqttClientOptions _options;
    private readonly Func<MqttMessage, CancellationToken, ValueTask> _onMessage;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FrameReader _reader;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<ushort, IAckWaiter> _pending = [];
    private readonly HashSet<ushort> _incomingExactlyOnce = [];
    private ushort _lastPacketId;
    private bool _closed;
    private long _lastSent;
    private long _pingSentAt;
    private Task _sendLoop = Task.CompletedTask;

    private MqttConnection(Socket socket, Stream stream, MqttClientOptions options, Func<MqttMessage, CancellationToken, ValueTask> onMessage, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _stream = stream;
        _options = options;
        _onMessage = onMessage;
        _logger = logger;
        _time = time;
        _reader = new FrameReader(stream, options.MaxIncomingPacketSize);
        _lastSent = time.GetTimestamp();
    }

    /// <summary>Completes when the connection has ended: null after our own clean DISCONNECT, else the reason.</summary>
    public Task<Exception?> Completion => _completion.Task;

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

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
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, linked.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? options.Host,
                        RemoteCertificateValidationCallback = (_, certificate, _, errors) => ValidateCertificate(tls, certificate, errors),
                    },
                    linked.Token);
            }

            var connection = new MqttConnection(socket, stream, options, onMessage, logger ?? NullLogger.Instance, time);
            await connection.HandshakeAsync(linked.Token);
            connection.StartLoops();
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Dispose(stream, socket);
            throw new TimeoutException($"No answer from the broker at {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            Dispose(stream, socket);
            throw;
        }
    }

    /// <summary>Queues a PUBLISH. For QoS 1 and 2 the waiter hears of the acknowledgement or of the connection's end.</summary>
    public void Publish(MqttMessage message, bool duplicate, IAckWaiter? waiter)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            Send(new PublishPacket(message.Topic, message.Payload, message.QualityOfService, message.Retain, false, 0));
            return;
        }

        if (waiter is null)
        {
            throw new ArgumentNullException(nameof(waiter), "QoS 1 and 2 need someone to hear the acknowledgement.");
        }

        if (!TryRegister(waiter, out var id))
        {
            return;
        }

        Send(new PublishPacket(message.Topic, message.Payload, message.QualityOfService, message.Retain, duplicate, id));
    }

    public Task PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
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
        var waiter = new TaskAckWaiter();
        if (TryRegister(waiter, out var id))
        {
            Send(new SubscribePacket(id, subscriptions));
        }

        var ack = (SubAckPacket)await waiter.Task.WaitAsync(cancellationToken);
        if (ack.ReturnCodes.Count != subscriptions.Count)
        {
            throw new MqttProtocolException($"SubAck holds {ack.ReturnCodes.Count} return codes for {subscriptions.Count} subscriptions.");
        }

        return ack.ReturnCodes;
    }

    public async Task UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var waiter = new TaskAckWaiter();
        if (TryRegister(waiter, out var id))
        {
            Send(new UnsubscribePacket(id, filters));
        }

        await waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends DISCONNECT after everything already queued, so the broker discards our will.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Send(DisconnectPacket.Instance);
        _outgoing.Writer.TryComplete();
        try
        {
            await _sendLoop.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException or SocketException)
        {
            // The broker is gone already; closing is all that is left to do.
        }
        finally
        {
            Close(null);
        }
    }

    /// <summary>Drops the socket without DISCONNECT, as a crash would; the broker then publishes our will.</summary>
    public void Abort(Exception? reason = null) => Close(reason ?? new MqttConnectionClosedException("The connection was aborted."));

    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(MqttConnection)));
        await _completion.Task;
        _lifetime.Dispose();
    }

    private static bool ValidateCertificate(MqttTlsOptions tls, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || tls.AllowUntrustedCertificates)
        {
            return true;
        }

        // A private CA may fix chain errors only; a wrong host name stays an error.
        if (tls.TrustedCaCertificate is { } ca && certificate is not null && errors == SslPolicyErrors.RemoteCertificateChainErrors)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        }

        return false;
    }

    private static void Dispose(Stream? stream, Socket socket)
    {
        stream?.Dispose();
        socket.Dispose();
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

        _lastSent = _time.GetTimestamp();
    }

    private void StartLoops()
    {
        var token = _lifetime.Token;
        _sendLoop = Task.Run(() => SendLoopAsync(token), CancellationToken.None);
        _ = Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None);
        if (_options.KeepAlive > TimeSpan.Zero)
        {
            _ = Task.Run(() => KeepAliveLoopAsync(token), CancellationToken.None);
        }
    }

    private bool TryRegister(IAckWaiter waiter, out ushort id)
    {
        lock (_gate)
        {
            if (_closed)
            {
                id = 0;
                waiter.Fail(new MqttConnectionClosedException());
                return false;
            }

            if (_pending.Count >= ushort.MaxValue)
            {
                throw new InvalidOperationException("All 65535 packet identifiers are waiting for acknowledgements.");
            }

            do
            {
                _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
            }
            while (_pending.ContainsKey(_lastPacketId));

            id = _lastPacketId;
            _pending.Add(id, waiter);
            return true;
        }
    }

    private void Send(MqttPacket packet)
    {
        var size = PacketWriter.GetFrameSize(packet);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        PacketWriter.Write(packet, buffer);
        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(buffer, size)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new byte[SendBufferSize];
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                var filled = 0;
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
                }

                if (filled > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, filled), cancellationToken);
                }

                await _stream.FlushAsync(cancellationToken);
                Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
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
        catch (MqttProtocolException ex)
        {
            Close(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or MqttConnectionClosedException)
        {
            Close(ex is MqttConnectionClosedException ? ex : new MqttConnectionClosedException($"Reading from the broker failed: {ex.Message}", ex));
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
                lock (_gate)
                {
                    _incomingExactlyOnce.Remove(pubRel.PacketId);
                }

                Send(new PubCompPacket(pubRel.PacketId));
                break;
            case PubRecPacket pubRec:
                // Our QoS 2 publish reached the broker; release it and wait for PUBCOMP.
                Send(new PubRelPacket(pubRec.PacketId));
                break;
            case PubAckPacket or PubCompPacket or SubAckPacket or UnsubAckPacket:
                CompletePending((MqttPacketWithId)packet);
                break;
            case PingRespPacket:
                Interlocked.Exchange(ref _pingSentAt, 0);
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
                lock (_gate)
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

    private void CompletePending(MqttPacketWithId ack)
    {
        IAckWaiter? waiter;
        lock (_gate)
        {
            if (_pending.Remove(ack.PacketId, out waiter) is false)
            {
                waiter = null;
            }
        }

        if (waiter is null)
        {
            MqttLog.UnknownAcknowledgement(_logger, ack.Type.ToString(), ack.PacketId);
            return;
        }

        waiter.Acknowledge(ack);
    }

    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        var keepAlive = _options.KeepAlive;
        var pingTimeout = _options.PingTimeout;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan delay;
                var pingSentAt = Interlocked.Read(ref _pingSentAt);
                if (pingSentAt != 0)
                {
                    var waited = _time.GetElapsedTime(pingSentAt);
                    if (waited >= pingTimeout)
                    {
                        Close(new TimeoutException($"The broker did not answer PINGREQ within {pingTimeout.TotalSeconds:0.#} s."));
                        return;
                    }

                    delay = pingTimeout - waited;
                }
                else
                {
                    var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastSent));
                    if (idle >= keepAlive)
                    {
                        Interlocked.Exchange(ref _pingSentAt, _time.GetTimestamp());
                        Send(PingReqPacket.Instance);
                        delay = pingTimeout;
                    }
                    else
                    {
                        delay = keepAlive - idle;
                    }
                }

                await Task.Delay(delay, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Close(Exception? reason)
    {
        IAckWaiter[] waiters;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            waiters = [.. _pending.Values];
            _pending.Clear();
        }

        _lifetime.Cancel();
        _outgoing.Writer.TryComplete();
        _stream.Dispose();
        _socket.Dispose();
        while (_outgoing.Reader.TryRead(out var frame))
        {
            ArrayPool<byte>.Shared.Return(frame.Buffer);
        }

        var failure = new MqttConnectionClosedException(reason?.Message ?? "The connection was closed.", reason);
        foreach (var waiter in waiters)
        {
            waiter.Fail(failure);
        }

        _completion.TrySetResult(reason);
    }
}
