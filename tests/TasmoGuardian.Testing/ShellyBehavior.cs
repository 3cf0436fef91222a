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

    /// <summary>Script.PutCode answers the length of the piece it got, as one uploader reads "len", instead of the script's whole length.</summary>
    PutCodeAnswersPieceLength,

    /// <summary>Script.PutCode keeps only the first half of each piece, and answers the length it kept.</summary>
    PutCodeKeepsShort,
}
