using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace TasmoGuardian.Mqtt;

/// <summary>Our options and messages in MQTTnet's terms, and back: the only place that knows both.</summary>
internal static class MqttNetMapping
{
    public static MQTTnet.MqttClientOptions Options(MqttClientOptions options)
    {
        var tls = new MqttClientTlsOptions();
        if (options.Tls is { } ours)
        {
            tls.UseTls = true;
            tls.TargetHost = ours.TargetHost ?? options.Host;

            // As .NET's own default: no online revocation lookup, which a broker on a home network cannot answer.
            tls.RevocationMode = X509RevocationMode.NoCheck;
            tls.CertificateValidationHandler = e => ValidateCertificate(ours, e.Certificate, e.SslPolicyErrors);
        }

        return new MQTTnet.MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V311,
            ClientId = options.ClientId,
            CleanSession = options.CleanSession,
            KeepAlivePeriod = options.KeepAlive,
            Timeout = options.ConnectTimeout,
            Credentials = options.Username is null ? null : new MqttClientCredentials(options.Username, options.Password is null ? null : System.Text.Encoding.UTF8.GetBytes(options.Password)),
            WillTopic = options.Will?.Topic,
            WillPayload = options.Will?.Payload.ToArray(),
            WillQualityOfServiceLevel = (MqttQualityOfServiceLevel)(options.Will?.QualityOfService ?? MqttQualityOfService.AtMostOnce),
            WillRetain = options.Will?.Retain ?? false,
            ChannelOptions = new MqttClientTcpOptions
            {
                RemoteEndpoint = new DnsEndPoint(options.Host, options.Port),
                NoDelay = true,
                TlsOptions = tls,
            },
        };
    }

    public static MqttApplicationMessage Message(MqttMessage message, bool duplicate) => new()
    {
        Topic = message.Topic,
        Payload = new ReadOnlySequence<byte>(message.Payload),
        QualityOfServiceLevel = (MqttQualityOfServiceLevel)message.QualityOfService,
        Retain = message.Retain,
        Dup = duplicate,
    };

    public static MqttMessage Message(MqttApplicationMessage message)
    {
        // MQTTnet copies each received payload into an array of its own, so it can be kept without another copy.
        var payload = message.Payload.IsSingleSegment ? message.Payload.First : message.Payload.ToArray();
        return new MqttMessage(message.Topic, payload, (MqttQualityOfService)message.QualityOfServiceLevel, message.Retain);
    }

    public static MqttConnectReturnCode ReturnCode(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.UnsupportedProtocolVersion => MqttConnectReturnCode.UnacceptableProtocolVersion,
        MqttClientConnectResultCode.ClientIdentifierNotValid => MqttConnectReturnCode.IdentifierRejected,
        MqttClientConnectResultCode.BadUserNameOrPassword => MqttConnectReturnCode.BadUserNameOrPassword,
        MqttClientConnectResultCode.NotAuthorized => MqttConnectReturnCode.NotAuthorized,
        _ => MqttConnectReturnCode.ServerUnavailable,
    };

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
}
