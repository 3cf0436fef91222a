namespace TasmoGuardian.Net;

/// <summary>A complete HTTP answer from a device: status, content type as declared, and the whole body.</summary>
internal sealed record HttpAnswer(int StatusCode, string? ContentType, byte[] Body)
{
    public bool IsOk => StatusCode == 200;
}
