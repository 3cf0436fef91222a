using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>Reads Tasmota's native discovery message, <c>tasmota/discovery/&lt;MAC&gt;/config</c> (research §1.2).</summary>
internal static class TasmotaDiscoveryParser
{
    public static TasmotaDiscoveryResult Parse(string topicMac, ReadOnlyMemory<byte> payload)
    {
        if (!Mac.TryParse(topicMac, out var mac))
        {
            return TasmotaDiscoveryResult.Invalid($"'{DeviceText.Shorten(topicMac, 40)}' in the topic is not a MAC");
        }

        if (payload.IsEmpty)
        {
            return new TasmotaDiscoveryResult(TasmotaDiscoveryKind.DiscoveryDisabled, mac, null, null);
        }

        using var document = JsonRead.Object(payload, out var problem);
        if (document is null)
        {
            return TasmotaDiscoveryResult.Invalid(problem!, mac);
        }

        var root = document.RootElement;
        var payloadMacText = JsonRead.String(root, "mac");
        if (!Mac.TryParse(payloadMacText, out var payloadMac))
        {
            return TasmotaDiscoveryResult.Invalid("the payload has no valid \"mac\"", mac);
        }

        if (payloadMac != mac)
        {
            // hatasmota drops such messages too: one of the two is lying.
            return TasmotaDiscoveryResult.Invalid($"MAC mismatch: the topic says {mac}, the payload says {payloadMac}", mac);
        }

        var deviceName = DeviceText.CleanName(JsonRead.String(root, "dn"));
        var friendlyName = DeviceText.CleanName(JsonRead.FirstString(root, "fn"));
        var topicName = JsonRead.String(root, "t");
        var topicIsValid = TasmotaTopics.IsValidTopicPart(topicName);
        var (name, source) = DeviceText.PickName(deviceName, friendlyName, topicIsValid ? DeviceText.CleanName(topicName) : null);

        return new TasmotaDiscoveryResult(TasmotaDiscoveryKind.Device, mac, new DeviceObservation(mac, DeviceType.Tasmota)
        {
            Name = name,
            NameSource = source,
            Ip = DeviceText.CleanIp(JsonRead.String(root, "ip")),
            Version = DeviceText.CleanVersion(JsonRead.String(root, "sw")),
            Model = DeviceText.CleanModel(JsonRead.String(root, "md")),
            Hostname = DeviceText.CleanHostname(JsonRead.String(root, "hn")),
            KindData = topicIsValid ? ReadTopic(root, topicName!)?.Encode() : null,
        }, null);
    }

    private static TasmotaTopic? ReadTopic(System.Text.Json.JsonElement root, string topic)
    {
        var fullTopic = JsonRead.String(root, "ft");
        if (!TasmotaTopics.IsValidFullTopic(fullTopic))
        {
            return null;
        }

        var prefixes = JsonRead.Strings(root, "tp", 3);
        if (prefixes is not null && !prefixes.All(TasmotaTopics.IsValidTopicPart))
        {
            return null;
        }

        return prefixes is null
            ? new TasmotaTopic(topic, fullTopic!)
            : new TasmotaTopic(topic, fullTopic!, prefixes[0], prefixes[1], prefixes[2]);
    }

}
