using TasmoGuardian.Devices;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>What one Tasmota message says; most messages do not carry the MAC, so the topic must tell whose it is.</summary>
internal sealed record TasmotaReport
{
    public Mac? Mac { get; init; }

    public string? Ip { get; init; }

    public string? Hostname { get; init; }

    public string? Version { get; init; }

    public string? Name { get; init; }

    public NameSource NameSource { get; init; }

    public string? Model { get; init; }

    public bool? Online { get; init; }

    public DeviceObservation ToObservation(Mac mac, TasmotaTopic? topic = null) => new(mac, DeviceType.Tasmota)
    {
        Ip = Ip,
        Hostname = Hostname,
        Version = Version,
        Name = Name,
        NameSource = NameSource,
        Model = Model,
        Online = Online,
        KindData = topic?.Encode(),
    };
}
