using TasmoGuardian.Devices;
namespace TasmoGuardian.Kinds.Tasmota;

internal sealed record TasmotaDiscoveryResult(TasmotaDiscoveryKind Kind, Mac? Mac, DeviceObservation? Observation, string? Problem)
{
    public static TasmotaDiscoveryResult Invalid(string problem, Mac? mac = null) => new(TasmotaDiscoveryKind.Invalid, mac, null, problem);
}
