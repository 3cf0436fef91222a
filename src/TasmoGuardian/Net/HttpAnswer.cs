namespace TasmoGuardian.Net;

/// <summary>A complete HTTP answer from a device: status, content type as declared, and the whole body.</summary>
internal sealed record HttpAnswer(int StatusCode, string? ContentType, byte[] Body)
{
    /// <summary>The WWW-Authenticate header of a 401.</summary>
    public string? Challenge { get; init; }

    /// <summary>The file name a download was sent as (Content-Disposition), when the device named one.</summary>
    public string? FileName { get; init; }

    public bool IsOk => StatusCode == 200;
}
