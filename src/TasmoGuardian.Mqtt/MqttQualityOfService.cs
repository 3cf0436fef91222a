namespace TasmoGuardian.Mqtt;

/// <summary>The delivery guarantee of a message or subscription.</summary>
public enum MqttQualityOfService : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
