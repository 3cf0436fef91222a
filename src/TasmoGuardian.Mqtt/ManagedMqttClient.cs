using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// A connection that looks after itself, over MQTTnet's <see cref="IMqttClient"/> (which speaks the protocol, keeps
/// the connection alive and matches acknowledgements): it reconnects with capped exponential back-off and jitter,
/// restores the subscriptions, publishes the birth message before anything queued, and delivers QoS 1 and 2 messages
/// published while offline (up to a bound). Received messages are handed to the handlers of every matching filter,
/// one at a time, off MQTTnet's loops.
/// </summary>
public sealed class ManagedMqttClient : IAsyncDisposable
{
    // MQTT 3.1.1 puts no limit on filters per SUBSCRIBE; brokers do, and 32 is well within all of them.
    private const int FiltersPerSubscribe = 32;

    private readonly ManagedMqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly OutboundQueue _outbound;
    private readonly Channel<MqttMessage> _incoming;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<MqttApplicationMessageReceivedEventArgs, Task> _onReceived;
    private readonly HashSet<string> _handlerFailures = new(StringComparer.Ordinal);
    private Subscription[] _subscriptionSnapshot = [];
    private int _subscriptionVersion;
    private BrokerConnection? _connection;
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _connectionLoop = Task.CompletedTask;
    private Task _dispatchLoop = Task.CompletedTask;
    private int _started;

    /// <summary>A client that does nothing until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option cannot work; the message names it.</exception>
    public ManagedMqttClient(ManagedMqttClientOptions options, ILogger<ManagedMqttClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _outbound = new OutboundQueue(options.MaxOfflineQueue, options.MaxDeliveryAttempts, _logger);
        _incoming = Channel.CreateBounded<MqttMessage>(new BoundedChannelOptions(options.IncomingQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _onReceived = OnReceivedAsync;
    }

    /// <summary>Raised after every (re)connection, once subscriptions are restored and the birth message is sent.</summary>
    public event EventHandler? Connected;

    /// <summary>True while a connection is up and its subscriptions are restored.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connection is not null;
            }
        }
    }

    /// <summary>Why the last connection attempt failed or the last connection ended; null while all is well.</summary>
    internal Exception? LastError { get; private set; }

    internal int OfflineQueueLength
    {
        get
        {
            lock (_gate)
            {
                return _outbound.WaitingCount;
            }
        }
    }

    /// <summary>Starts connecting in the background; it returns at once and never throws for an unreachable broker.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before the client started.</exception>
    /// <exception cref="InvalidOperationException">The client was started before.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The client was started already.");
        }

        var stopping = _stopping.Token;
        _dispatchLoop = Task.Run(() => DispatchLoopAsync(stopping), CancellationToken.None);
        _connectionLoop = Task.Run(() => ConnectionLoopAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Completes once connected (at once if connected now).</summary>
    internal Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connectedSignal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Drops the current connection without DISCONNECT, as a crash would (the broker publishes the will); it reconnects.</summary>
    internal void Abort()
    {
        lock (_gate)
        {
            _connection?.Abort();
        }
    }

    /// <summary>
    /// Adds a handler for the filter's messages, including retained ones, now and after every reconnection. Several
    /// handlers may share a filter; each runs for every message, in the order they subscribed. Subscribing while
    /// connected asks the broker again, so the new handler sees the retained messages (and the others see them twice).
    /// </summary>
    /// <exception cref="ArgumentException">The filter is not a valid MQTT topic filter.</exception>
    /// <exception cref="MqttSubscribeException">
    /// The broker refused the subscription, or did not acknowledge it in time (it is then asked for again with the next
    /// connection).
    /// </exception>
    public async Task SubscribeAsync(string filter, MqttQualityOfService qualityOfService, MqttMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!TopicFilter.IsValidFilter(filter))
        {
            throw new ArgumentException($"'{filter}' is not a valid MQTT topic filter.", nameof(filter));
        }

        BrokerConnection? connection;
        Subscription subscription;
        lock (_gate)
        {
            subscription = _subscriptions.TryGetValue(filter, out var existing)
                ? existing.With(qualityOfService, handler)
                : new Subscription(filter, qualityOfService, [handler]);
            _subscriptions[filter] = subscription;
            _subscriptionSnapshot = [.. _subscriptions.Values];
            _subscriptionVersion++;
            connection = _connection;
        }

        if (connection is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            if (await SubscribeOnAsync(connection, [subscription], linked.Token) is [_])
            {
                throw new MqttSubscribeException($"The broker refused the subscription to '{filter}'.");
            }
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested)
            {
                MqttLog.SubscriptionNotAcknowledged(_logger, filter, _options.OperationTimeout.TotalSeconds);
                throw new MqttSubscribeException($"The broker did not acknowledge the subscription to '{filter}' within {_options.OperationTimeout.TotalSeconds:0.#} s; it is asked for again with the next connection.");
            }

            // The connection is going away; the subscription is restored with the next one.
        }
    }

    /// <summary>Stops delivering the filter's messages to any of its handlers, now and after reconnections.</summary>
    internal async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        BrokerConnection? connection;
        lock (_gate)
        {
            if (!_subscriptions.Remove(filter))
            {
                return;
            }

            _subscriptionSnapshot = [.. _subscriptions.Values];
            _subscriptionVersion++;
            connection = _connection;
        }

        if (connection is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await connection.Client.UnsubscribeAsync(new MqttClientUnsubscribeOptions { TopicFilters = [filter] }, linked.Token);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException)
        {
            // Not subscribing again on the next connection is all the unsubscribing needed.
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Publishes a message. QoS 0 is sent if connected and otherwise dropped. QoS 1 and 2 complete when the broker has
    /// acknowledged them; while offline they wait in a bounded queue.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid MQTT topic name.</exception>
    /// <exception cref="MqttPublishDroppedException">The message was pushed out of the full offline queue, or given up.</exception>
    /// <exception cref="MqttConnectionClosedException">The client was stopped before the broker acknowledged it.</exception>
    public Task PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!TopicFilter.IsValidTopicName(message.Topic))
        {
            throw new ArgumentException($"'{message.Topic}' is not a valid MQTT topic name.", nameof(message));
        }

        PendingPublish pending;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested && message.QualityOfService != MqttQualityOfService.AtMostOnce)
            {
                return Task.FromException(new MqttConnectionClosedException("The client was stopped."));
            }

            if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
            {
                if (_connection is { } connection)
                {
                    SendAtMostOnce(connection, message);
                }
                else
                {
                    MqttLog.DroppedWhileOffline(_logger, message.Topic);
                }

                return Task.CompletedTask;
            }

            pending = new PendingPublish(message);
            if (_connection is not { } current)
            {
                _outbound.Wait(pending);
            }
            else if (_outbound.WaitingCount == 0 && _outbound.InFlightCount < _options.MaxInFlight)
            {
                SendLocked(current, pending);
            }
            else
            {
                _outbound.Hold(pending);
            }
        }

        return cancellationToken.CanBeCanceled ? pending.Completion.WaitAsync(cancellationToken) : pending.Completion;
    }

    /// <summary>Disconnects cleanly (no will) and stops reconnecting. Messages still waiting fail.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        BrokerConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        await _stopping.CancelAsync();
        if (connection is not null)
        {
            await connection.DisconnectAsync(cancellationToken);
        }

        await _connectionLoop.WaitAsync(cancellationToken);

        // No connection will carry them any more. Failed before the dispatch loop is waited for: a handler that awaits
        // its own publish would otherwise hold the stop up for ever.
        lock (_gate)
        {
            _outbound.DropAll(new MqttConnectionClosedException("The client was stopped."));
        }

        await _dispatchLoop.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the client (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None);
        }
        finally
        {
            _stopping.Dispose();
        }
    }

    private void SendAtMostOnce(BrokerConnection connection, MqttMessage message)
    {
        try
        {
            _ = connection.Client.PublishAsync(MqttNetMapping.Message(message, duplicate: false), CancellationToken.None)
                .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (MqttCommunicationException)
        {
            // QoS 0 promises nothing: a connection that just went away loses it.
        }
    }

    private void SendLocked(BrokerConnection connection, PendingPublish pending)
    {
        _outbound.Flying(pending);
        Task<MqttClientPublishResult> sending;
        try
        {
            sending = connection.Publish(pending, duplicate: pending.Attempts++ > 0);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or ObjectDisposedException)
        {
            // The connection ended a moment ago; its end puts the message back in the queue.
            return;
        }

        _ = AwaitAcknowledgementAsync(sending, pending);
    }

    private async Task AwaitAcknowledgementAsync(Task<MqttClientPublishResult> sending, PendingPublish pending)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended before the acknowledgement; its end puts the message back in the queue.
            return;
        }
#pragma warning disable CA1031 // Anything else is MQTTnet refusing this very message: it would refuse it again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                pending.Node.List?.Remove(pending.Node);
                SendWaitingLocked();
            }

            pending.Drop(new MqttPublishDroppedException($"The message for '{pending.Message.Topic}' could not be sent: {ex.Message}", ex));
            return;
        }

        lock (_gate)
        {
            _outbound.Acknowledged(pending);
            SendWaitingLocked();
        }
    }

    /// <summary>Sends the oldest waiting messages while the connection is up and the in-flight window has room.</summary>
    private void SendWaitingLocked()
    {
        if (_connection is not { } connection)
        {
            return;
        }

        while (_outbound.InFlightCount < _options.MaxInFlight && _outbound.TakeNext() is { } next)
        {
            SendLocked(connection, next);
        }
    }

    private async Task ConnectionLoopAsync(CancellationToken stopping)
    {
        var failures = 0;
        Exception? lastFailure = null;
        var lastWarning = long.MinValue;
        var broker = _options.Client?.ToString() ?? "(its address is not known yet)";
        while (!stopping.IsCancellationRequested)
        {
            BrokerConnection connection;
            try
            {
                var options = _options.Client ?? await _options.ClientFactory!(new MqttConnectAttempt(failures, lastFailure), stopping);
                broker = options.ToString();
                options.Validate();
                connection = await BrokerConnection.OpenAsync(options, _onReceived, _time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure to connect (including the factory's) means: wait and try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LastError = ex;
                var permanent = ex is MqttConnectException { IsPermanent: true };

                // Fixed credentials the broker refused stay wrong until someone changes them: no need to knock often.
                // Credentials from a factory may be renewed at any moment, so those are asked for again sooner.
                var delay = permanent && _options.Client is not null ? _options.MaxReconnectDelay : Backoff(failures);
                var repeated = failures > 0 && lastFailure?.GetType() == ex.GetType() && lastFailure.Message == ex.Message;
                if (!repeated || _time.GetElapsedTime(lastWarning) >= _options.FailureReminderInterval)
                {
                    lastWarning = _time.GetTimestamp();
                    if (repeated)
                    {
                        MqttLog.StillFailing(_logger, broker, failures + 1, ex.Message);
                    }
                    else if (permanent)
                    {
                        MqttLog.LoginRefused(_logger, broker, ex.Message);
                    }
                    else
                    {
                        MqttLog.ConnectFailed(_logger, broker, ex.Message, delay.TotalSeconds);
                    }
                }
                else
                {
                    MqttLog.ConnectFailedAgain(_logger, broker, ex.Message);
                }

                lastFailure = ex;
                failures++;
                if (!await DelayAsync(delay, stopping))
                {
                    return;
                }

                continue;
            }

            failures = 0;
            lastFailure = null;
            if (!await OnConnectedAsync(connection, broker, stopping))
            {
                await connection.DisconnectAsync(CancellationToken.None);
                connection.Dispose();
                if (stopping.IsCancellationRequested || !await DelayAsync(Backoff(0), stopping))
                {
                    return;
                }

                continue;
            }

            Exception? reason;
            try
            {
                reason = await connection.Ended.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                // Stopping: StopAsync may not have seen this connection yet, so the goodbye is said (or waited for) here.
                await connection.DisconnectAsync(CancellationToken.None);
                reason = null;
            }

            OnDisconnected(connection, reason);
            connection.Dispose();
            if (stopping.IsCancellationRequested)
            {
                MqttLog.Disconnected(_logger, broker);
                return;
            }

            var wait = Backoff(0);
            MqttLog.ConnectionLost(_logger, broker, reason?.Message ?? "closed.", wait.TotalSeconds);
            if (!await DelayAsync(wait, stopping))
            {
                return;
            }
        }
    }

    private async Task<bool> OnConnectedAsync(BrokerConnection connection, string broker, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                Subscription[] subscriptions;
                int version;
                lock (_gate)
                {
                    subscriptions = _subscriptionSnapshot;
                    version = _subscriptionVersion;
                }

                for (var i = 0; i < subscriptions.Length; i += FiltersPerSubscribe)
                {
                    using var timeout = new CancellationTokenSource(_options.OperationTimeout, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
                    await SubscribeOnAsync(connection, subscriptions.AsSpan(i, Math.Min(FiltersPerSubscribe, subscriptions.Length - i)).ToArray(), linked.Token);
                }

                lock (_gate)
                {
                    if (version != _subscriptionVersion)
                    {
                        // Someone subscribed while we were restoring: go round once more so nothing is missed.
                        continue;
                    }

                    _connection = connection;
                    if (_options.BirthMessage is { } birth)
                    {
                        if (birth.QualityOfService == MqttQualityOfService.AtMostOnce)
                        {
                            SendAtMostOnce(connection, birth);
                        }
                        else
                        {
                            SendLocked(connection, new PendingPublish(birth));
                        }
                    }

                    SendWaitingLocked();

                    LastError = null;
                    _connectedSignal.TrySetResult();
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException)
        {
            MqttLog.RestoreFailed(_logger, ex is OperationCanceledException or MqttCommunicationTimedOutException
                ? $"no acknowledgement within {_options.OperationTimeout.TotalSeconds:0.#} s."
                : ex.Message);
            return false;
        }

        MqttLog.Connected(_logger, broker);
        try
        {
            Connected?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // A subscriber's bug must not take the connection down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MqttLog.HandlerFailed(_logger, ex, "(connected event)", string.Empty);
        }

        return true;
    }

    /// <summary>Asks for the filters; those the broker refuses are logged and returned (they stay on our side only).</summary>
    private async Task<List<string>> SubscribeOnAsync(BrokerConnection connection, Subscription[] subscriptions, CancellationToken cancellationToken)
    {
        var request = new MqttClientSubscribeOptions();
        foreach (var subscription in subscriptions)
        {
            request.TopicFilters.Add(new MQTTnet.Packets.MqttTopicFilter { Topic = subscription.Filter, QualityOfServiceLevel = (MqttQualityOfServiceLevel)subscription.QualityOfService });
        }

        var result = await connection.Client.SubscribeAsync(request, cancellationToken);
        var refused = new List<string>();
        foreach (var item in result.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                MqttLog.SubscriptionRefused(_logger, item.TopicFilter.Topic);
                refused.Add(item.TopicFilter.Topic);
            }
        }

        return refused;
    }

    private void OnDisconnected(BrokerConnection connection, Exception? reason)
    {
        lock (_gate)
        {
            if (_connection == connection)
            {
                _connection = null;
            }

            _outbound.ConnectionLost();
            if (_connectedSignal.Task.IsCompleted)
            {
                _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            LastError = reason;
        }
    }

    private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = MqttNetMapping.Message(e.ApplicationMessage);
        if (_incoming.Writer.TryWrite(message))
        {
            return Task.CompletedTask;
        }

        // Full: MQTTnet waits with this message, and with its acknowledgement, until the handlers catch up.
        return _incoming.Writer.WriteAsync(message, _stopping.Token).AsTask();
    }

    private async Task DispatchLoopAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var message in _incoming.Reader.ReadAllAsync(stopping))
            {
                foreach (var subscription in Volatile.Read(ref _subscriptionSnapshot))
                {
                    if (!TopicFilter.Matches(subscription.Filter, message.Topic))
                    {
                        continue;
                    }

                    foreach (var handler in subscription.Handlers)
                    {
                        try
                        {
                            await handler(message, stopping);
                        }
                        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                        {
                            return;
                        }
#pragma warning disable CA1031 // Handlers are the caller's code; one bad message or handler must not stop the others.
                        catch (Exception ex)
#pragma warning restore CA1031
                        {
                            OnHandlerFailed(subscription.Filter, message.Topic, ex);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void OnHandlerFailed(string filter, string topic, Exception ex)
    {
        // A handler failing the same way on message after message is logged with its stack once.
        if (_handlerFailures.Count >= 1024)
        {
            _handlerFailures.Clear();
        }

        if (_handlerFailures.Add($"{filter}\n{ex.GetType()}\n{ex.Message}"))
        {
            MqttLog.HandlerFailed(_logger, ex, filter, topic);
        }
        else
        {
            MqttLog.HandlerFailedAgain(_logger, filter, topic, ex.Message);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var min = _options.MinReconnectDelay.TotalMilliseconds;
        var max = _options.MaxReconnectDelay.TotalMilliseconds;
        var ceiling = Math.Min(max, min * Math.Pow(2, Math.Min(failures, 30)));

        // Half fixed, half random: brokers restarting see their clients spread out instead of all at once.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, _time, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
