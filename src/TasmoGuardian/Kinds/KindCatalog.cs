using TasmoGuardian.Net;
using TasmoGuardian.Devices;

namespace TasmoGuardian.Kinds;

/// <summary>Every kind the program knows, found by its <see cref="DeviceType"/>.</summary>
internal sealed class KindCatalog
{
    private readonly Dictionary<DeviceType, IDeviceKind> _kinds;

    public KindCatalog(IEnumerable<IDeviceKind> kinds)
    {
        _kinds = kinds.ToDictionary(k => k.Type);
    }

    public IReadOnlyCollection<IDeviceKind> All => _kinds.Values;

    /// <summary>Null for a type this version does not know (a database written by a newer version).</summary>
    public IDeviceKind? Find(DeviceType type) => _kinds.GetValueOrDefault(type);

    public IDeviceKind For(DeviceType type) =>
        _kinds.TryGetValue(type, out var kind) ? kind : throw new InvalidOperationException($"No kind is registered for {type}.");
}
