namespace TasmoGuardian.Configuration;

/// <summary>An option is wrong; the message is the one line the user sees, naming the option.</summary>
internal sealed class OptionsException : Exception
{
    public OptionsException()
    {
    }

    public OptionsException(string message)
        : base(message)
    {
    }

    public OptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
