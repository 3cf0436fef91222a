namespace TasmoGuardian.Mqtt;

/// <summary>An encoded packet waiting for the send loop; the buffer is rented from the shared pool.</summary>
internal readonly record struct OutgoingFrame(byte[] Buffer, int Length);
