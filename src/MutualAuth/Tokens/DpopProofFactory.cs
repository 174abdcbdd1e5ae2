using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>Creates DPoP proofs (RFC 9449 §4.2) with the client's proof key.</summary>
internal sealed class DpopProofFactory(SigningKey key, TimeProvider time)
{
    /// <summary>The RFC 7638 thumbprint of the proof key (what <c>cnf.jkt</c> of a token bound to it holds).</summary>
    public string Thumbprint { get; } = PublicJwk.ThumbprintOf(key);

    /// <summary>A proof for one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The target URI; query and fragment are left out of <c>htu</c>.</param>
    /// <param name="accessToken">The access token sent with it, for <c>ath</c>.</param>
    /// <param name="nonce">The server's last <c>DPoP-Nonce</c>.</param>
    public string Create(string method, Uri uri, string? accessToken = null, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var htu = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return JwsWriter.Sign(key, TokenNames.DpopProofType, h =>
        {
            h.WritePropertyName("jwk");
            PublicJwk.Write(h, key);
        }, p =>
        {
            p.WriteString("jti", Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16)));
            p.WriteString("htm", method);
            p.WriteString("htu", htu);
            p.WriteNumber("iat", time.GetUtcNow().ToUnixTimeSeconds());
            if (accessToken is not null)
            {
                p.WriteString("ath", DpopProofValidator.AccessTokenHash(accessToken));
            }

            if (nonce is not null)
            {
                p.WriteString("nonce", nonce);
            }
        });
    }
}
