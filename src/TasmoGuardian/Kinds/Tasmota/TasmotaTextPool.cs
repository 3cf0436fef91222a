using System.Globalization;

namespace TasmoGuardian.Kinds.Tasmota;

/// <summary>
/// Tasmota's text settings (the text pool, 0x017–0x2D1: 699 bytes, settings_text_size): NUL-separated strings in the
/// order of enum SettingsTextIndex, which SettingsText(index) walks (tasmota/include/tasmota.h). Named here after the
/// console command that sets each one. The order has only grown at its end since 8.0, except where a build's chip
/// decides (ESP8266 keeps one ADC parameter and 8 switch texts, ESP32 8 and 28), and entries were inserted twice.
/// Sources, arendst/Tasmota: the enum at 3b28c3d79b2793a7cb06d8646160861579cc3f92:tasmota/include/tasmota.h:460-499
/// (15.1.0); FriendlyName5-8 and WebButton1-16 inserted in 8.0.0.2 (a2478f956, b66cc3479); ESP32's switch texts grown
/// from 8 to 28 in 9.2.0.6 (e05b77c37); the pool itself since 7.1.2.6 (3d59de5d1).
/// </summary>
internal static class TasmotaTextPool
{
    public const int Start = 0x017;
    public const int End = 0x2D2;

    /// <summary>The first settings version with a text pool.</summary>
    public const uint FirstVersion = 0x07010206;

    /// <summary>
    /// Texts the firmware writes by itself: Telegram replaces its fingerprint with the one its server sent when the TLS
    /// check fails (xdrv_40_telegram.ino @3b28c3d7:171-175, unless TmState 6).
    /// </summary>
    public static readonly IReadOnlySet<string> SelfChanging = new HashSet<string>(StringComparer.Ordinal) { "TmFingerprint" };

    /// <summary>The texts of a settings block by name, in pool order; an entry beyond the known ones is named by its index.</summary>
    public static IReadOnlyList<(string Name, string Text)> Read(ReadOnlySpan<byte> block, uint version, byte platform)
    {
        var names = Names(version, platform);
        var texts = new List<(string, string)>();
        var pool = block[Start..End];
        var index = 0;
        while (!pool.IsEmpty)
        {
            var end = pool.IndexOf((byte)0);
            var text = System.Text.Encoding.Latin1.GetString(end < 0 ? pool : pool[..end]);
            texts.Add((index < names.Count ? names[index] : string.Create(CultureInfo.InvariantCulture, $"text_pool[{index}]"), text));
            index++;
            pool = end < 0 ? [] : pool[(end + 1)..];
        }

        return texts;
    }

    /// <summary>The names of the pool's entries for settings written by <paramref name="version"/> on <paramref name="platform"/> (0 ESP8266).</summary>
    public static IReadOnlyList<string> Names(uint version, byte platform)
    {
        var names = new List<string> { "OtaUrl", "Prefix1", "Prefix2", "Prefix3", "SSId1", "SSId2", "Password1", "Password2", "Hostname", "LogHost", "WebPassword", "CORS" };
        names.AddRange(["MqttHost", "MqttClient", "MqttUser", "MqttPassword", "FullTopic", "Topic", "ButtonTopic", "SwitchTopic", "GroupTopic1"]);
        names.AddRange(Numbered("StateText", 1, 4));
        names.AddRange(Numbered("NtpServer", 1, 3));
        names.AddRange(Numbered("Mem", 1, 16));
        if (version < 0x08000002)
        {
            names.AddRange(Numbered("FriendlyName", 1, 4));
            return names;
        }

        names.AddRange(Numbered("FriendlyName", 1, 8));
        names.AddRange(Numbered("WebButton", 1, 16));
        names.AddRange(Numbered("GroupTopic", 2, 3));

        // The template's name, which Template sets with its NAME.
        names.Add("Template");
        names.AddRange(Numbered("DevGroupName", 1, 4));
        names.AddRange(["DeviceName", "TmToken", "TmChatId"]);
        if (platform == 0)
        {
            names.Add("AdcParam1");
            names.AddRange(Numbered("SwitchText", 1, 8));
        }
        else
        {
            names.AddRange(Numbered("AdcParam", 1, 8));
            names.AddRange(Numbered("SwitchText", 1, version < 0x09020006 ? 8 : 28));
        }

        // Shelly dimmer parameters; the access point of the range extender; InfluxDB; the web page's canvas; Telegram.
        names.AddRange(["ShdParam", "RgxSSId", "RgxPassword", "IfxHost", "IfxPort", "IfxUser", "IfxPassword", "IfxDatabase", "IfxRP", "WebCanvas", "TmFingerprint"]);
        return names;
    }

    private static IEnumerable<string> Numbered(string name, int first, int count) =>
        Enumerable.Range(first, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{name}{i}"));
}
