using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Implementations;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// One connection to the broker: a fresh MQTTnet client, logged in, that is never reconnected. When it ends,
/// <see cref="Ended"/> says why. The managed client makes a new one for every attempt, so nothing of an old connection
/// (its pending acknowledgements, its events) can leak into the next. It is also the factory of its own MQTTnet
/// channel adapter, to hear which of the messages handed to it were really written.
/// </summary>
internal sealed class BrokerConnection : IMqttClientAdapterFactory, IDisposable
{
    private static readonly MqttClientFactory Factory = new();
    private static readonly MqttClientAdapterFactory Adapters = new();

    private readonly TaskCompletionSource<Exception?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Queue<PendingPublish> _unwritten = new();
    private readonly Action _publishWritten;
    private Task? _disconnecting;

    private BrokerConnection()
    {
        _publishWritten = OnPublishWritten;
        Client = Factory.CreateMqttClient(this);
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
    /// The message is about to be handed to MQTTnet, which writes QoS 1 and 2 PUBLISHes in the order it was handed them
    /// (one send lock, first come first served): the n-th written is the n-th handed.
    /// </summary>
    public void Handing(PendingPublish pending)
    {
        lock (_unwritten)
        {
            _unwritten.Enqueue(pending);
        }
    }

    IMqttChannelAdapter IMqttClientAdapterFactory.CreateClientAdapter(MQTTnet.MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger) =>
        new WriteObservingAdapter(Adapters.CreateClientAdapter(options, packetInspector, logger), _publishWritten);

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

    private void OnPublishWritten()
    {
        PendingPublish? written;
        lock (_unwritten)
        {
            _unwritten.TryDequeue(out written);
        }

        written?.Written();
    }

    private static Exception Cause(Exception exception)
    {
        while (exception is MqttCommunicationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }
}
