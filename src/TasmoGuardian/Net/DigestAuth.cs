using System.Security.Cryptography;
using System.Text;

namespace TasmoGuardian.Net;

/// <summary>
/// HTTP Digest authentication, client side (RFC 7616), as Shelly's Gen2 and later devices ask for it: SHA-256 (or
/// MD5), qop "auth", the realm being the device's id. Only what a device challenge needs; no sessions, no auth-int.
/// </summary>
internal static class DigestAuth
{
    /// <summary>The parameters of a <c>WWW-Authenticate: Digest …</c> header; null when the header is not a Digest challenge.</summary>
    public static IReadOnlyDictionary<string, string>? ParseChallenge(string? header)
    {
        if (header is null || !header.TrimStart().StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = header.TrimStart()[7..];
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end;
                value = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }

            values[key] = value;
        }

        return values.ContainsKey("realm") && values.ContainsKey("nonce") ? values : null;
    }

    /// <summary>The <c>Authorization</c> header value answering <paramref name="challenge"/> for one request.</summary>
    public static string Answer(IReadOnlyDictionary<string, string> challenge, string method, string uri, string username, string password, string clientNonce, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var algorithm = challenge.TryGetValue("algorithm", out var a) ? a : "MD5";
        var realm = challenge["realm"];
        var nonce = challenge["nonce"];
        var qop = challenge.TryGetValue("qop", out var q) && q.Split(',').Select(p => p.Trim()).Contains("auth") ? "auth" : null;
        var nc = count.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        var ha2 = Hash(algorithm, $"{method}:{uri}");
        var response = qop is null ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}") : Hash(algorithm, $"{ha1}:{nonce}:{nc}:{clientNonce}:{qop}:{ha2}");
        var header = new StringBuilder()
            .Append("Digest username=\"").Append(username)
            .Append("\", realm=\"").Append(realm)
            .Append("\", nonce=\"").Append(nonce)
            .Append("\", uri=\"").Append(uri)
            .Append("\", algorithm=").Append(algorithm)
            .Append(", response=\"").Append(response).Append('"');
        if (qop is not null)
        {
            header.Append(", qop=").Append(qop).Append(", nc=").Append(nc).Append(", cnonce=\"").Append(clientNonce).Append('"');
        }

        if (challenge.TryGetValue("opaque", out var opaque))
        {
            header.Append(", opaque=\"").Append(opaque).Append('"');
        }

        return header.ToString();
    }

    public static string NewClientNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Hash(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        // SHA-256 is what RFC 7616 requires and Gen2+ devices ask for; MD5 only for older servers that still do.
#pragma warning disable CA5351
        return Convert.ToHexStringLower(algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(bytes) : MD5.HashData(bytes));
#pragma warning restore CA5351
    }
}
