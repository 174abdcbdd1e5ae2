namespace MutualAuth.Tokens;

/// <summary>What an access token is bound to (<c>cnf</c>): a DPoP key (RFC 9449 §6) or a TLS client certificate (RFC 8705 §3).</summary>
/// <param name="JwkThumbprint"><c>cnf.jkt</c>: the RFC 7638 thumbprint of the DPoP key.</param>
/// <param name="CertificateThumbprint"><c>cnf.x5t#S256</c>: base64url SHA-256 of the certificate DER.</param>
internal sealed record TokenConfirmation(string? JwkThumbprint, string? CertificateThumbprint)
{
    public bool IsBound => JwkThumbprint is not null || CertificateThumbprint is not null;

    public static TokenConfirmation Dpop(string thumbprint) => new(thumbprint, null);

    public static TokenConfirmation Certificate(ReadOnlySpan<byte> certificateDer) =>
        new(null, Base64UrlText.Encode(System.Security.Cryptography.SHA256.HashData(certificateDer)));
}
