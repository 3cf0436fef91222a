namespace TasmoGuardian.Scheduling;

/// <summary>A cron expression that does not parse; the message names the field that is wrong.</summary>
internal sealed class CronFormatException : FormatException
{
    public CronFormatException()
    {
    }

    public CronFormatException(string message)
        : base(message)
    {
    }

    public CronFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
