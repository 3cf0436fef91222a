using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Drills;

/// <summary>
/// Topics the program reads, with payloads that range from noise to almost-right: real fixtures with fields swapped,
/// removed, made huge, hostile (paths, control characters) or of the wrong type.
/// </summary>
internal sealed class PayloadFuzzer(Random random)
{
    private static readonly string[] Topics =
    [
        "tasmota/discovery/{mac}/config",
        "stat/{t}/STATUS", "stat/{t}/STATUS2", "stat/{t}/STATUS5", "{t}/stat/STATUS5",
        "tele/{t}/INFO1", "tele/{t}/INFO2", "tele/{t}/STATE", "tele/{t}/LWT", "{t}/tele/INFO1",
        "homeassistant/status", "homeassistant/device/tasmo_guardian_{mac}/config",
        "tasmo_guardian/cmnd/backup", "tasmo_guardian/hub/refresh", "tasmo_guardian/device/{mac}/backup",
    ];

    private static readonly byte[][] Seeds =
    [
        Fixtures.Payload("tasmota/tasmota_discovery_config_9.2.0.json"),
        Fixtures.Payload("tasmota/tasmota_discovery_config_15.0.1.4.json"),
        Fixtures.Payload("tasmota/tasmota_status0_http_15.1.0_esp32.json"),
        .. Fixtures.StatusMessages().Select(m => m.Payload).Where(p => p[0] == (byte)'{'),
        .. Fixtures.InfoSamples().Select(s => Encoding.UTF8.GetBytes(s.Payload)).Where(p => p.Length > 0 && p[0] == (byte)'{'),
    ];

    private static readonly string[] Hostile = ["../../etc/passwd", "/", "..", "\u0000", "\u001b[2J", "😀", "<script>", "%prefix%", "#", "+", new string('A', 70_000), "", " "];

    public (string Topic, byte[] Payload) Next()
    {
        var mac = random.Next(4) == 0 ? "A1B2C3D4E5F6" : random.Next(0x100000, 0xFFFFFF).ToString("X6") + "A1B2C3";
        var topicName = random.Next(3) == 0 ? Pick(Hostile).Replace("/", "_", StringComparison.Ordinal).Replace("#", "x", StringComparison.Ordinal).Replace("+", "y", StringComparison.Ordinal) : $"fuzz{random.Next(50)}";
        if (topicName.Length is 0 or > 100 || topicName.Contains('\0', StringComparison.Ordinal))
        {
            topicName = "fuzz";
        }

        var topic = Pick(Topics).Replace("{mac}", mac, StringComparison.Ordinal).Replace("{t}", topicName, StringComparison.Ordinal);

        // Topics no client may publish (control characters) never reach the program; the fuzzer sends the rest.
        return (TasmoGuardian.Mqtt.TopicFilter.IsValidTopicName(topic) ? topic : $"tele/fuzz{random.Next(50)}/STATE", Payload(mac));
    }

    private byte[] Payload(string mac)
    {
        switch (random.Next(6))
        {
            case 0:
                var noise = new byte[random.Next(0, 400)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return Encoding.UTF8.GetBytes(Pick(["PRESS", "all", "online", "Online", "Offline", mac, "", "null", "{}", "[]", "\"x\""]));
            default:
                var node = JsonNode.Parse(Pick(Seeds))!;
                Mutate(node, mac, depth: 0);
                var text = node.ToJsonString();
                return random.Next(20) == 0 ? Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]) : Encoding.UTF8.GetBytes(text);
        }
    }

    private void Mutate(JsonNode node, string mac, int depth)
    {
        if (node is not JsonObject obj || depth > 3)
        {
            return;
        }

        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            switch (random.Next(10))
            {
                case 0:
                    obj.Remove(key);
                    break;
                case 1:
                    obj[key] = Pick(Hostile);
                    break;
                case 2:
                    obj[key] = random.Next();
                    break;
                case 3:
                    obj[key] = new JsonArray(1, "two", null);
                    break;
                case 4:
                    obj[key] = key is "mac" or "Mac" ? mac : null;
                    break;
                default:
                    Mutate(obj[key]!, mac, depth + 1);
                    break;
            }
        }

        if (obj.ContainsKey("mac") && random.Next(2) == 0)
        {
            obj["mac"] = mac;
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
