using TasmoGuardian.Configuration;

namespace TasmoGuardian.Backups;

/// <summary>Downloads <c>/dl</c> from a Tasmota device and accepts it only if <see cref="TasmotaDump"/> does.</summary>
internal sealed class TasmotaDownloader : IDeviceDownloader
{
    // Settings (4 KiB) plus driver files of file-system builds stay far below this.
    public const int MaxBytes = 256 * 1024;

    private readonly DeviceHttp _http;
    private readonly GuardianOptions _options;

    public TasmotaDownloader(DeviceHttp http, GuardianOptions options)
    {
        _http = http;
        _options = options;
    }

    public async Task<DownloadedBackup> DownloadAsync(DownloadTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var answer = await _http.GetAsync(new Uri($"http://{target.Address}/dl"), target.Username, target.Password, _options.RequestTimeout, MaxBytes, cancellationToken);
        if (answer.StatusCode == 401)
        {
            throw BackupException.Of(BackupFailureKind.WrongPassword, string.IsNullOrEmpty(target.Password)
                ? "the device asks for a password (HTTP 401); set tasmota_password or the device's password"
                : "wrong password (HTTP 401)");
        }

        if (answer.StatusCode != 200)
        {
            throw BackupException.Of(BackupFailureKind.HttpError, $"the device answered HTTP {answer.StatusCode}");
        }

        // The bytes decide, not the Content-Type header: firmware in user mode sends its main page as 200 text/html,
        // and a proxy or a broken build may label things wrongly either way.
        var validation = TasmotaDump.Validate(answer.Body);
        if (!validation.IsValid)
        {
            throw new BackupException(validation.Failure!);
        }

        return new DownloadedBackup(answer.Body, "dmp", validation.Version);
    }
}
