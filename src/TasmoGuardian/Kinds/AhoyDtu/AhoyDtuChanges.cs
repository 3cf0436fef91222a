namespace TasmoGuardian.Kinds.AhoyDtu;

/// <summary>
/// What is configuration in an AhoyDTU backup: settings.json (the Setup page's export) by its paths ("inst.iv[0].name",
/// "mqtt.broker"). The export writes the Wi-Fi and MQTT passwords empty every time, so they never differ; info.json is
/// the system answer.
/// </summary>
internal static class AhoyDtuChanges
{
    public static IBackupComparer Comparer { get; } = new ZipComparer(
        entries => entries.TryGetValue("settings.json", out var settings) && PartCheck.HasKeys(settings, "wifi", "inst"),
        new ZipRules { MainFile = "settings.json", NotConfiguration = ["info.json"] });
}
