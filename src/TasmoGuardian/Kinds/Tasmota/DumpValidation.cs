using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>The verdict on a Tasmota dump, and what it holds when it is good.</summary>
internal sealed record DumpValidation(DeviceFailure? Failure, string? Version, string? Platform, bool HasFileSystemHeader)
{
    public bool IsValid => Failure is null;

    public static DumpValidation Invalid(FailureKind kind, string reason) => new(new DeviceFailure(kind, reason), null, null, false);
}
