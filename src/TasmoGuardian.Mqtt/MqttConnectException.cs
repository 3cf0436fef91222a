namespace TasmoGuardian.Mqtt;

/// <summary>The broker answered CONNECT with a refusal.</summary>
public sealed class MqttConnectException : Exception
{
    public MqttConnectException(MqttConnectReturnCode returnCode)
        : base(Describe(returnCode))
    {
        ReturnCode = returnCode;
    }

    public MqttConnectException()
        : this(MqttConnectReturnCode.ServerUnavailable)
    {
    }

    public MqttConnectException(string message)
        : base(message)
    {
        ReturnCode = MqttConnectReturnCode.ServerUnavailable;
    }

    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReturnCode = MqttConnectReturnCode.ServerUnavailable;
    }

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
