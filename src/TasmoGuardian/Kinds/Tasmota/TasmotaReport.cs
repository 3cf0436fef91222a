using TasmoGuardian.Devices;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>What one Tasmota message says; most messages do not carry the MAC, so the topic must tell whose it is.</summary>
internal sealed record TasmotaReport
{
    public Mac? Mac { get; init; }

    /// <summary>
    /// The Ethernet port's MAC where a 9.x/10.x device reported it in place of its own (StatusNET while Ethernet is up):
    /// not the device id that discovery and later firmware use, so it stands for the device only when nothing else does.
    /// </summary>
    public Mac? EthernetMac { get; init; }

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
