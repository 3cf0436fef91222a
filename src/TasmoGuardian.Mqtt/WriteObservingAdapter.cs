using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace TasmoGuardian.Mqtt;

/// <summary>
/// MQTTnet's own channel adapter, telling us each time a QoS 1 or 2 PUBLISH has been written to the connection.
/// <see cref="IMqttClient.PublishAsync"/> only says when the acknowledgement came or the connection failed, but the
/// outbound queue must know which messages really reached a connection that then died: only those can be to blame.
/// </summary>
internal sealed class WriteObservingAdapter : IMqttChannelAdapter
{
    private readonly IMqttChannelAdapter _inner;
    private readonly Action _publishWritten;

    public WriteObservingAdapter(IMqttChannelAdapter inner, Action publishWritten)
    {
        _inner = inner;
        _publishWritten = publishWritten;
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
        var sending = _inner.SendPacketAsync(packet, cancellationToken);
        if (packet is not MqttPublishPacket { QualityOfServiceLevel: not MqttQualityOfServiceLevel.AtMostOnce })
        {
            return sending;
        }

        if (sending.IsCompletedSuccessfully)
        {
            _publishWritten();
            return sending;
        }

        return ObserveAsync(sending);
    }

    public void Dispose() => _inner.Dispose();

    private async Task ObserveAsync(Task sending)
    {
        await sending.ConfigureAwait(false);
        _publishWritten();
    }
}
