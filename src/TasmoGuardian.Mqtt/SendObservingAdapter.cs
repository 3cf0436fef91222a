using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// MQTTnet's own channel adapter, telling its connection which sends failed. <see cref="IMqttClient.PublishAsync"/>
/// only says that the acknowledgement came or that the connection failed, but the outbound queue must know which
/// messages really reached a connection that then died: only those can be to blame
/// (<see cref="BrokerConnection.Publish"/>).
/// </summary>
internal sealed class SendObservingAdapter : IMqttChannelAdapter
{
    private readonly IMqttChannelAdapter _inner;
    private readonly BrokerConnection _connection;

    public SendObservingAdapter(IMqttChannelAdapter inner, BrokerConnection connection)
    {
        _inner = inner;
        _connection = connection;
    }

    public long BytesReceived => _inner.BytesReceived;

    public long BytesSent => _inner.BytesSent;

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => _inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) => _inner.ReceivePacketAsync(cancellationToken);

    public void ResetStatistics() => _inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var message = packet is MqttPublishPacket { QualityOfServiceLevel: not MqttQualityOfServiceLevel.AtMostOnce } ? _connection.Handing : null;
        var sending = _inner.SendPacketAsync(packet, cancellationToken);
        return sending.IsCompletedSuccessfully ? sending : ObserveAsync(sending, message);
    }

    public void Dispose() => _inner.Dispose();

    private async Task ObserveAsync(Task sending, PendingPublish? message)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch
        {
            _connection.SendFailed(message);
            throw;
        }
    }
}
