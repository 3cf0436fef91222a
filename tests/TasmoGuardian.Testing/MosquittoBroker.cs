using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// A private mosquitto on free loopback ports with a password file, as Home Assistant's broker has.
/// It can be stopped and started again on the same ports to test reconnection.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _executable;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string executable, string folder, MosquittoBrokerOptions options, int port, int? tlsPort, TestCertificates? certificates)
    {
        _executable = executable;
        _folder = folder;
        Options = options;
        Port = port;
        TlsPort = tlsPort;
        Certificates = certificates;
    }

    public MosquittoBrokerOptions Options { get; }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public int? TlsPort { get; }

    public TestCertificates? Certificates { get; }

    public string Username => Options.Username;

    public string Password => Options.Password;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What mosquitto printed: useful in a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string MosquittoExecutable =>
        ProcessRunner.Find("mosquitto") ?? throw new InvalidOperationException(
            "mosquitto is not installed, and these tests need a real broker. Install it with: sudo apt-get install -y mosquitto mosquitto-clients");

    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoBrokerOptions();
        var executable = MosquittoExecutable;
        var passwd = ProcessRunner.Find("mosquitto_passwd") ?? throw new InvalidOperationException(
            "mosquitto_passwd is not installed (it comes with the mosquitto package).");
        var folder = Directory.CreateTempSubdirectory("tg-mosquitto-").FullName;
        var passwordFile = Path.Combine(folder, "passwd");
        var (code, output) = await ProcessRunner.RunAsync(passwd, ["-c", "-b", passwordFile, options.Username, options.Password], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd failed: {output}");
        }

        TestCertificates? certificates = null;
        int? tlsPort = null;
        if (options.Tls)
        {
            certificates = TestCertificates.Create();
            await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), certificates.Ca.ExportCertificatePem(), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "server.pem"), certificates.Server.ExportCertificatePem(), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "server.key"), certificates.ServerKeyPem, cancellationToken);
            tlsPort = PortAllocator.FreeTcpPort();
        }

        var broker = new MosquittoBroker(executable, folder, options, PortAllocator.FreeTcpPort(), tlsPort, certificates);
        await broker.WriteConfigAsync(cancellationToken);
        await broker.StartAgainAsync(cancellationToken);
        return broker;
    }

    /// <summary>Starts mosquitto (again) on the same ports and waits until it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_folder, "mosquitto.conf"));
        var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode}: {Log}");
            }

            if (await AcceptsAsync(Port, cancellationToken) && (TlsPort is not { } tls || await AcceptsAsync(tls, cancellationToken)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mosquitto did not listen on {Port} within 15 s: {Log}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Stops the broker abruptly (SIGKILL): every client sees its connection drop.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Certificates?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private Task WriteConfigAsync(CancellationToken cancellationToken)
    {
        var config = new StringBuilder()
            .AppendLine("user root")
            .AppendLine("persistence false")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information")
            .AppendLine("log_type subscribe")
            .AppendLine("per_listener_settings false")
            .AppendLine($"allow_anonymous {(Options.AllowAnonymous ? "true" : "false")}")
            .AppendLine($"password_file {Path.Combine(_folder, "passwd")}")
            .AppendLine($"listener {Port} 127.0.0.1");
        if (Options.MaxPacketSize is { } limit)
        {
            config.AppendLine($"max_packet_size {limit}");
        }

        if (TlsPort is { } tls)
        {
            config.AppendLine($"listener {tls} 127.0.0.1")
                .AppendLine($"cafile {Path.Combine(_folder, "ca.pem")}")
                .AppendLine($"certfile {Path.Combine(_folder, "server.pem")}")
                .AppendLine($"keyfile {Path.Combine(_folder, "server.key")}");
        }

        return File.WriteAllTextAsync(Path.Combine(_folder, "mosquitto.conf"), config.ToString(), cancellationToken);
    }
}
