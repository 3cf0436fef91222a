namespace TasmoGuardian.Mqtt;

/// <summary>
/// An encoded packet waiting for the send loop; the buffer is rented from the shared pool. <see cref="PacketId"/> is
/// the identifier whose waiter hears when the bytes are written (0: none).
/// </summary>
internal readonly record struct OutgoingFrame(byte[] Buffer, int Length, ushort PacketId);
