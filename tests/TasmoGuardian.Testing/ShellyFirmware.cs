namespace TasmoGuardian.Testing;

/// <summary>
/// One shape of Shelly firmware a <see cref="FakeShelly"/> answers as: the captured <c>/shelly</c> answer that tells it
/// apart, and the captures it answers the rest from (tests/fixtures/shelly). Gen1 answers <c>/settings</c> and
/// <c>/status</c>; Gen2 and later <c>Shelly.GetConfig</c> and <c>Shelly.GetStatus</c>. Only a Plus 1PM's GetConfig was
/// captured whole (fw 1.7.5), so every Gen2+ shape answers it, with that device's own values put in.
/// </summary>
public sealed record ShellyFirmware(string Name, string DeviceInfo, string? Settings = null, string? Status = null)
{
    /// <summary>Shelly.GetConfig of every Gen2+ shape.</summary>
    public const string Gen2Config = Folder + "shelly_gen2_getconfig_1.7.5_Plus1PM.json";

    private const string Folder = "shelly/";

    /// <summary>Shelly 1, v1.14.0 (<c>fw</c> with a <c>-g&lt;hash&gt;</c> build suffix).</summary>
    public static ShellyFirmware Gen1 { get; } = new("Gen1 Shelly 1 v1.14.0", Folder + "shelly_gen1_shelly_1.14.0_SHSW-1.json", Folder + "shelly_gen1_settings_1.14.0_SHSW-1.json", Folder + "shelly_gen1_status_1.14.0_SHSW-1.json");

    /// <summary>Shelly 2.5 in roller mode, v1.14.0 (no /status capture: it answers 404 there).</summary>
    public static ShellyFirmware Gen1Roller { get; } = new("Gen1 Shelly 2.5 roller v1.14.0", Folder + "shelly_gen1_shelly_1.14.0_SHSW-25_roller.json", Folder + "shelly_gen1_settings_1.14.0_SHSW-25_roller.json");

    /// <summary>Shelly 1, v1.11.7 (no <c>discoverable</c>); its /settings is the v1.14.0 capture with this <c>fw</c>.</summary>
    public static ShellyFirmware Gen1V1_11 { get; } = new("Gen1 Shelly 1 v1.11.7", Folder + "shelly_gen1_shelly_1.11.7_SHSW-1.json", Folder + "shelly_gen1_settings_1.14.0_SHSW-1.json", Folder + "shelly_gen1_status_1.14.0_SHSW-1.json");

    /// <summary>Plus 1PM, 1.7.5: the device whose GetConfig and GetStatus were captured.</summary>
    public static ShellyFirmware Gen2 { get; } = new("Gen2 Plus 1PM 1.7.5", Folder + "shelly_gen2_shelly_1.7.5_Plus1PM.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>Plus 1PM, 0.10.1: no <c>model</c>, no <c>slot</c>; KVS answers the map of firmware before 1.5; GetStatus of a 2023 firmware.</summary>
    public static ShellyFirmware Gen2V0_10 { get; } = new("Gen2 Plus 1PM 0.10.1", Folder + "shelly_gen2_shelly_0.10.1_Plus1PM_no-model-no-slot.json", Status: Folder + "shelly_gen2_getstatus_2023-03_Plus1PM_raw.json");

    /// <summary>Plus 2PM, 1.4.2, a multi-profile device (<c>profile</c>), captured with authentication on.</summary>
    public static ShellyFirmware Gen2Profile { get; } = new("Gen2 Plus 2PM 1.4.2", Folder + "shelly_gen2_shelly_1.4.2_Plus2PM_auth-profile.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>1PM Gen3, 1.7.5 (<c>matter</c>, <c>provision</c>).</summary>
    public static ShellyFirmware Gen3 { get; } = new("Gen3 1PM 1.7.5", Folder + "shelly_gen3_shelly_1.7.5_1PMG3.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>BLU Gateway Gen3 on a beta, <c>ver</c> 1.5.0-beta2, captured with authentication on.</summary>
    public static ShellyFirmware Gen3Beta { get; } = new("Gen3 BLU Gateway 1.5.0-beta2", Folder + "shelly_gen3_shelly_1.5.0-beta2_BluGwG3_auth.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>1PM Gen4, 1.7.5.</summary>
    public static ShellyFirmware Gen4 { get; } = new("Gen4 1PM 1.7.5", Folder + "shelly_gen4_shelly_1.7.5_1PMG4.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>1 Mini Gen4 (Zigbee app), <c>ver</c> 1.5.99-g4prod1: a pre-release part that starts with "-g".</summary>
    public static ShellyFirmware Gen4Zigbee { get; } = new("Gen4 1 Mini 1.5.99-g4prod1", Folder + "shelly_gen4_shelly_1.5.99-g4prod1_Mini1G4ZB.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>1L Gen4 pre-release, <c>ver</c> 1.8.99-xlg4samples0, whose <c>fw_id</c> holds no version.</summary>
    public static ShellyFirmware Gen4FwIdWithoutVersion { get; } = new("Gen4 1L 1.8.99-xlg4samples0", Folder + "shelly_gen4_shelly_1.8.99-xlg4samples0_S1LG4_fwid-without-version.json", Status: Folder + "shelly_gen2_getstatus_1.7.5_Plus1PM.json");

    /// <summary>Every shape a fake can answer as.</summary>
    public static IReadOnlyList<ShellyFirmware> Every { get; } = [Gen1, Gen1Roller, Gen1V1_11, Gen2, Gen2V0_10, Gen2Profile, Gen3, Gen3Beta, Gen4, Gen4Zigbee, Gen4FwIdWithoutVersion];

    public override string ToString() => Name;
}
