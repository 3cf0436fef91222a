using System.Text.Json;

namespace TasmoGuardian.Tests.Support;

/// <summary>Writes options.json as the Supervisor would, for the program started as a process.</summary>
internal static class OptionsFile
{
    public static string Write(TestFolder folder, Dictionary<string, object?> options)
    {
        File.WriteAllText(folder.OptionsFile, JsonSerializer.Serialize(options));
        return folder.OptionsFile;
    }

    public static Dictionary<string, object?> For(TasmoGuardian.Testing.MosquittoBroker broker, TestFolder folder) => new()
    {
        ["mqtt_host"] = broker.Host,
        ["mqtt_port"] = broker.Port,
        ["mqtt_username"] = broker.Username,
        ["mqtt_password"] = broker.Password,
        ["backup_dir"] = folder.Backups,
        ["backup_min_hours"] = 0,
        ["schedule"] = "",
        ["request_timeout_seconds"] = 5,
        ["log_level"] = "debug",
    };
}
