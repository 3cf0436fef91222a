namespace TasmoGuardian.Testing;

/// <summary>What a fake Tasmota does after it accepted a settings upload on <c>/u2</c>.</summary>
public enum TasmotaRestoreBehavior
{
    /// <summary>Stops answering for <see cref="FakeTasmota.RestartTime"/>, then serves the restored settings with BootCount + 1.</summary>
    Restarts,

    /// <summary>Answers the upload as a success, then never answers again (a bricked or unpowered device).</summary>
    NeverComesBack,

    /// <summary>Restarts, but comes back with other settings than the uploaded ones (a reset to defaults).</summary>
    ComesBackDifferent,

    /// <summary>Takes the upload and closes the connection without an answer (what a failed Referer check does).</summary>
    NoAnswerToUpload,
}
