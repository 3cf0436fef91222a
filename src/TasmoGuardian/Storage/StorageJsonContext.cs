using System.Text.Json.Serialization;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Storage;

/// <summary>What the database keeps as JSON text (a device's last comparison, a run's changed devices), serialized without reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(BackupComparison))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext
{
}
