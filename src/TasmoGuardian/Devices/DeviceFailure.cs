namespace TasmoGuardian.Devices;

/// <summary>Why an operation on a device failed, named so logs, events and tests can tell the cases apart.</summary>
internal enum FailureKind
{
    NoAddress,
    Offline,
    WrongPassword,
    HtmlPage,
    Truncated,
    BadChecksum,
    NotADump,
    InvalidJson,
    TooLarge,
    Timeout,
    Refused,
    Unreachable,
    EmptyReply,
    HttpError,
    WriteFailed,
    UnknownDevice,

    /// <summary>The device's web server is in Tasmota's user mode (WebServer 1): no backup or restore pages.</summary>
    UserMode,

    /// <summary>A restore was refused before anything was sent: the file, the platform, the version, the type.</summary>
    RestoreRefused,

    /// <summary>The device looked at the restored configuration and refused it.</summary>
    RestoreRejected,

    /// <summary>The device gave no clear answer to the upload: what it holds now is not known.</summary>
    RestoreUnknown,

    /// <summary>After the upload the device did not restart, or came back with another configuration.</summary>
    RestoreNotVerified,
}

/// <summary>A failure and the short sentence a user reads in Home Assistant (the <c>reason</c> attribute).</summary>
internal sealed record DeviceFailure(FailureKind Kind, string Reason)
{
    public override string ToString() => $"{Kind}: {Reason}";
}
