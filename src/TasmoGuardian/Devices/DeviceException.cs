namespace TasmoGuardian.Devices;

/// <summary>An operation on a device failed for a reason we can name (never a bug): the device, the network, the disk.</summary>
internal sealed class DeviceException : Exception
{
    public DeviceException(DeviceFailure failure)
        : base(failure?.Reason)
    {
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
    }

    public DeviceException(DeviceFailure failure, Exception innerException)
        : base(failure?.Reason, innerException)
    {
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
    }

    public DeviceException()
        : this(new DeviceFailure(FailureKind.Unreachable, "unknown failure"))
    {
    }

    public DeviceException(string message)
        : this(new DeviceFailure(FailureKind.Unreachable, message))
    {
    }

    public DeviceException(string message, Exception innerException)
        : this(new DeviceFailure(FailureKind.Unreachable, message), innerException)
    {
    }

    public DeviceFailure Failure { get; }

    public static DeviceException Of(FailureKind kind, string reason) => new(new DeviceFailure(kind, reason));
}
