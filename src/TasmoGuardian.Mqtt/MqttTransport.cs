using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace TasmoGuardian.Mqtt;

/// <summary>Opens the byte stream to the broker: TCP, and TLS over it when asked. The protocol never sees the socket.</summary>
internal static class MqttTransport
{
    public static async Task<Stream> OpenAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken);
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
                    cancellationToken);
            }

            return stream;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket.Dispose();
            throw;
        }
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
}
