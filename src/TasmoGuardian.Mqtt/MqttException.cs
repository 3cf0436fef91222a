namespace TasmoGuardian.Mqtt;

/// <summary>
/// Every failure this library reports: callers catch this one type. The derived types say which part failed, for the
/// few callers that react differently (a refused login is not retried at once; a dropped message is logged).
/// </summary>
public class MqttException : Exception
{
    /// <summary>A failure with the default message.</summary>
    public MqttException()
        : base("The MQTT operation failed.")
    {
    }

    /// <summary>A failure with a message that says what happened.</summary>
    public MqttException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with a message and the error that caused it.</summary>
    public MqttException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The broker answered CONNECT with a refusal.</summary>
public sealed class MqttConnectException : MqttException
{
    /// <summary>A refusal with the broker's return code.</summary>
    public MqttConnectException(MqttConnectReturnCode returnCode)
        : base(Describe(returnCode))
    {
        ReturnCode = returnCode;
    }

    /// <summary>A refusal without a return code (the broker was unavailable).</summary>
    public MqttConnectException()
        : this(MqttConnectReturnCode.ServerUnavailable)
    {
    }

    /// <summary>A refusal described by a message.</summary>
    public MqttConnectException(string message)
        : base(message)
    {
        ReturnCode = MqttConnectReturnCode.ServerUnavailable;
    }

    /// <summary>A refusal described by a message, with its cause.</summary>
    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReturnCode = MqttConnectReturnCode.ServerUnavailable;
    }

    /// <summary>The CONNACK return code.</summary>
    public MqttConnectReturnCode ReturnCode { get; }

    /// <summary>Retrying quickly cannot help: the credentials or the client id are wrong until someone changes them.</summary>
    public bool IsPermanent => ReturnCode is MqttConnectReturnCode.BadUserNameOrPassword
        or MqttConnectReturnCode.NotAuthorized
        or MqttConnectReturnCode.IdentifierRejected
        or MqttConnectReturnCode.UnacceptableProtocolVersion;

    private static string Describe(MqttConnectReturnCode code) => code switch
    {
        MqttConnectReturnCode.UnacceptableProtocolVersion => "The broker refused the connection: it does not speak MQTT 3.1.1 (return code 1).",
        MqttConnectReturnCode.IdentifierRejected => "The broker refused the connection: client id rejected (return code 2).",
        MqttConnectReturnCode.ServerUnavailable => "The broker refused the connection: server unavailable (return code 3).",
        MqttConnectReturnCode.BadUserNameOrPassword => "The broker refused the connection: bad user name or password (return code 4).",
        MqttConnectReturnCode.NotAuthorized => "The broker refused the connection: not authorized, check the MQTT user name and password (return code 5).",
        _ => $"The broker refused the connection (return code {(int)code}).",
    };
}

/// <summary>The connection ended before the operation completed.</summary>
public sealed class MqttConnectionClosedException : MqttException
{
    /// <summary>The connection is closed.</summary>
    public MqttConnectionClosedException()
        : base("The MQTT connection is closed.")
    {
    }

    /// <summary>The connection closed for the reason given.</summary>
    public MqttConnectionClosedException(string message)
        : base(message)
    {
    }

    /// <summary>The connection closed for the reason given, caused by another error.</summary>
    public MqttConnectionClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A QoS 1 or 2 message was given up: pushed out of the full offline queue, or refused by the broker again and again.</summary>
public sealed class MqttPublishDroppedException : MqttException
{
    /// <summary>A dropped message with the default message.</summary>
    public MqttPublishDroppedException()
        : base("The message was dropped from the full offline queue.")
    {
    }

    /// <summary>A dropped message, saying why.</summary>
    public MqttPublishDroppedException(string message)
        : base(message)
    {
    }

    /// <summary>A dropped message, saying why, with the cause.</summary>
    public MqttPublishDroppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The broker refused a subscription (SUBACK return code 0x80), usually an access-control rule.</summary>
public sealed class MqttSubscribeException : MqttException
{
    /// <summary>A refused subscription with the default message.</summary>
    public MqttSubscribeException()
        : base("The broker refused the subscription.")
    {
    }

    /// <summary>A refused subscription, naming the filter.</summary>
    public MqttSubscribeException(string message)
        : base(message)
    {
    }

    /// <summary>A refused subscription with its cause.</summary>
    public MqttSubscribeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
