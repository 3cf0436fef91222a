using TasmoGuardian.Mqtt.Packets;

namespace TasmoGuardian.Mqtt;

/// <summary>A waiter for one-off operations (SUBSCRIBE, UNSUBSCRIBE, a direct publish): a task that completes with the ack.</summary>
internal sealed class TaskAckWaiter : IAckWaiter
{
    private readonly TaskCompletionSource<MqttPacket> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<MqttPacket> Task => _completion.Task;

    public void Written()
    {
    }

    public void Acknowledge(MqttPacket ack) => _completion.TrySetResult(ack);

    public void Fail(Exception reason) => _completion.TrySetException(reason);
}
