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
}

/// <summary>A failure and the short sentence a user reads in Home Assistant (the <c>reason</c> attribute).</summary>
internal sealed record DeviceFailure(FailureKind Kind, string Reason)
{
    public override string ToString() => $"{Kind}: {Reason}";
}
