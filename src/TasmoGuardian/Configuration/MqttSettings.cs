namespace TasmoGuardian.Configuration;

/// <summary>The broker the program will use, and where that choice came from (for one clear log line).</summary>
internal sealed record MqttSettings(string Host, int Port, string? Username, string? Password, bool Tls, string Source)
{
    public override string ToString() =>
        $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port} as {(string.IsNullOrEmpty(Username) ? "anonymous" : Username)}{(string.IsNullOrEmpty(Password) ? "" : " (password set)")} from {Source}";
}
