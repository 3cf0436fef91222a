using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds.Tasmota;

internal enum TasmotaDiscoveryKind
{
    /// <summary>A device described itself.</summary>
    Device,

    /// <summary>An empty payload: the device turned discovery off (SetOption19 1). It is kept.</summary>
    DiscoveryDisabled,

    /// <summary>The message could not be used; the problem says why.</summary>
    Invalid,
}

/// <summary>What one message on <c>tasmota/discovery/&lt;MAC&gt;/config</c> said.</summary>
internal sealed record TasmotaDiscoveryResult(TasmotaDiscoveryKind Kind, Mac? Mac, DeviceObservation? Observation, string? Problem)
{
    public static TasmotaDiscoveryResult Invalid(string problem, Mac? mac = null) => new(TasmotaDiscoveryKind.Invalid, mac, null, problem);
}
