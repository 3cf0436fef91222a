namespace TasmoGuardian.Testing;

/// <summary>How a fake Shelly answers: like healthy firmware, or like a failure seen in the field.</summary>
public enum ShellyBehavior
{
    Ok,

    /// <summary>Shelly.GetConfig answers with a web page and 200.</summary>
    HtmlWith200,

    /// <summary>Shelly.GetConfig's JSON is cut in half.</summary>
    TruncatedJson,

    /// <summary>Script.GetCode gives the first chunk, then no data while still reporting bytes left.</summary>
    ScriptStopsShort,

    /// <summary>/shelly answers without its "mac" (a device that cannot be identified).</summary>
    IdentityWithoutMac,
}
