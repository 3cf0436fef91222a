using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// One connection to the broker: a fresh MQTTnet client, logged in, that is never reconnected. When it ends,
/// <see cref="Ended"/> says why. The managed client makes a new one for every attempt, so nothing of an old connection
/// (its pending acknowledgements, its events) can leak into the next. It is also the factory of its own MQTTnet
/// channel adapter, to hear which sends failed.
/// </summary>
internal sealed class BrokerConnection : IMqttClientAdapterFactory, IDisposable
{
    private readonly TaskCompletionSource<Exception?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Task? _disconnecting;
    private PendingPublish? _handing;
    private bool _sendFailed;

    private BrokerConnection()
    {
        Client = new MqttClient(this, MqttNetNullLogger.Instance);
        Client.DisconnectedAsync += e =>
        {
            lock (_gate)
            {
                if (_disconnecting is null)
                {
                    _ended.TrySetResult(e.Exception is null
                        ? new MqttConnectionClosedException("The broker closed the connection.")
                        : new MqttConnectionClosedException(Describe(e.Exception), e.Exception));
                }
            }

            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    /// <summary>Completes when the connection has ended, with the reason (null after our own clean DISCONNECT).</summary>
    public Task<Exception?> Ended => _ended.Task;

    /// <summary>Opens TCP (and TLS) and logs in; throws <see cref="MqttException"/> saying why it could not.</summary>
    public static async Task<BrokerConnection> OpenAsync(
        MqttClientOptions options,
        Func<MqttApplicationMessageReceivedEventArgs, Task> onMessage,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var connection = new BrokerConnection();
        connection.Client.ApplicationMessageReceivedAsync += onMessage;
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await connection.Client.ConnectAsync(MqttNetMapping.Options(options), linked.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttConnectException(MqttNetMapping.ReturnCode(result.ResultCode));
            }

            return connection;
        }
        catch (Exception ex) when (ex is not MqttException)
        {
            connection.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested)
            {
                throw new MqttConnectionClosedException($"No answer from the broker at {options.Host}:{options.Port} within {options.ConnectTimeout.TotalSeconds:0.#} s.", new TimeoutException());
            }

            throw new MqttConnectionClosedException(Describe(ex), Cause(ex));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Says goodbye with DISCONNECT, so the broker discards our will; a broker already gone is no error. Every caller
    /// waits for the same goodbye, and <see cref="Ended"/> completes (with null) only after it.
    /// </summary>
    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _disconnecting ??= SayGoodbyeAsync();
            return _disconnecting.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Hands a QoS 1 or 2 message to MQTTnet (the caller holds the managed client's lock, so one at a time). From here
    /// on it counts as written to this connection, unless its send fails after another send on this connection failed
    /// already: the connection was then dead before its turn came. The first failing send may have been partly written,
    /// and the broker may have acted on it (mosquitto drops an oversized packet on its header), so that one counts.
    /// </summary>
    public Task<MqttClientPublishResult> Publish(PendingPublish pending, bool duplicate)
    {
        pending.Written();
        _handing = pending;
        try
        {
            return Client.PublishAsync(MqttNetMapping.Message(pending.Message, duplicate), CancellationToken.None);
        }
        catch
        {
            pending.Unwritten();
            throw;
        }
        finally
        {
            _handing = null;
        }
    }

    /// <summary>MQTTnet sends the PUBLISH of <see cref="Publish"/> within that call: the adapter asks which message it is.</summary>
    public PendingPublish? Handing => _handing;

    /// <summary>A send failed; <paramref name="message"/> is the QoS 1 or 2 message it carried, if any.</summary>
    public void SendFailed(PendingPublish? message)
    {
        lock (_gate)
        {
            if (_sendFailed)
            {
                message?.Unwritten();
            }

            _sendFailed = true;
        }
    }

    /// <summary>
    /// What MQTTnet's MqttClientAdapterFactory builds for TCP. Built here because that factory also names its WebSocket
    /// channel, which would bring .NET's WebSocket client into the native program for nothing.
    /// </summary>
    IMqttChannelAdapter IMqttClientAdapterFactory.CreateClientAdapter(MQTTnet.MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        var adapter = new MqttChannelAdapter(new MqttTcpChannel(options), formatter, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
        return new SendObservingAdapter(adapter, this);
    }

    /// <summary>Drops the socket without DISCONNECT, as a crash would: the broker then publishes our will.</summary>
    public void Abort()
    {
        _ended.TrySetResult(new MqttConnectionClosedException("The connection was aborted."));
        Client.Dispose();
    }

    public void Dispose() => Client.Dispose();

    private async Task SayGoodbyeAsync()
    {
        try
        {
            // On the system clock, as MQTTnet's own timeouts: a goodbye to a broker that has gone silent is not waited for long.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is all that is left to do.
        }
        finally
        {
            _ended.TrySetResult(null);
        }
    }

    /// <summary>What went wrong, as the layer below MQTTnet said it ("Connection refused", a certificate error).</summary>
    private static string Describe(Exception exception) => Cause(exception).Message;

    private static Exception Cause(Exception exception)
    {
        while (exception is MqttCommunicationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }
}
