namespace TasmoGuardian.HomeAssistant;

/// <summary>
/// A message the publisher handed to the client, and what to remember once the broker acknowledged it: the SHA-256 of
/// the retained payload of <see cref="Topic"/>, or nothing (events, cleared configs).
/// </summary>
internal readonly record struct OutgoingMessage(Task Acknowledged, string? Topic = null, byte[]? PayloadHash = null);
