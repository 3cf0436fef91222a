namespace TasmoGuardian.Backups;

/// <summary>Why a backup failed, named so logs, events and tests can tell the cases apart.</summary>
internal enum BackupFailureKind
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
