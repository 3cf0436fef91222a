namespace TasmoGuardian.Testing;

/// <summary>How a fake Tasmota answers <c>/dl</c>: like healthy firmware, or like one of the failures seen in the field.</summary>
public enum TasmotaBehavior
{
    /// <summary>200 application/octet-stream with a valid dump, after the configured delay.</summary>
    Ok,

    /// <summary>401 with an empty body, whatever credentials come (its WebPassword differs from ours).</summary>
    WrongPassword,

    /// <summary>WebServer 1 (user mode): 200 text/html, the main page.</summary>
    HtmlPage,

    /// <summary>A complete answer with only half a dump in it.</summary>
    Truncated,

    /// <summary>A whole dump with one bit flipped in the settings.</summary>
    BadChecksum,

    /// <summary>Content-Length 4096, then the connection drops after 1000 bytes.</summary>
    DropMidBody,

    /// <summary>Reads the request and never answers.</summary>
    Hang,

    /// <summary>Sends the headers, then one byte per second.</summary>
    Trickle,

    /// <summary>A valid dump labelled text/html: the bytes, not the label, must decide.</summary>
    LyingContentType,

    /// <summary>Accepts, reads, and closes without a word (what 15.5+ does on a failed Referer check).</summary>
    EmptyReply,
}
