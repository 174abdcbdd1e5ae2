using System.Security.Cryptography;
using System.Text;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// Whether a validated access token may be used on this request: DPoP-bound tokens only with the <c>DPoP</c> scheme and
/// a proof by the bound key, certificate-bound ones only over TLS with the bound certificate, unbound ones only where
/// the route allows bearer tokens.
/// </summary>
internal static class TokenBinding
{
    /// <param name="token">The validated token.</param>
    /// <param name="scheme">The authorization scheme the token came with (<c>DPoP</c> or <c>Bearer</c>).</param>
    /// <param name="proof">The validated DPoP proof, when the scheme is <c>DPoP</c>.</param>
    /// <param name="clientCertificateDer">The TLS client certificate of the connection, if any.</param>
    /// <param name="allowBearer">Whether the route accepts unbound bearer tokens.</param>
    public static ReasonCode Check(AccessToken token, string scheme, DpopProof? proof, ReadOnlySpan<byte> clientCertificateDer, bool allowBearer)
    {
        ArgumentNullException.ThrowIfNull(token);
        var cnf = token.Confirmation;
        var dpopScheme = string.Equals(scheme, TokenNames.DpopHeader, StringComparison.OrdinalIgnoreCase);
        if (cnf.JwkThumbprint is { } jkt)
        {
            // RFC 9449 §7.2: a DPoP-bound token sent as Bearer is a downgrade.
            if (!dpopScheme)
            {
                return TokenReasons.BoundTokenAsBearer;
            }

            if (proof is null)
            {
                return TokenReasons.MissingProof;
            }

            if (!Same(jkt, proof.Thumbprint))
            {
                return TokenReasons.JktMismatch;
            }
        }
        else if (dpopScheme)
        {
            // The DPoP scheme with a token not bound to a key proves nothing about the token.
            return TokenReasons.UnboundToken;
        }

        if (cnf.CertificateThumbprint is { } x5t)
        {
            if (clientCertificateDer.IsEmpty || !Same(x5t, Base64UrlText.Encode(SHA256.HashData(clientCertificateDer))))
            {
                return TokenReasons.CertificateMismatch;
            }
        }

        return cnf.IsBound || allowBearer ? ReasonCode.Ok : TokenReasons.UnboundToken;
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
