namespace MutualAuth.Authentication;

/// <summary>An HTTP Message Signature (RFC 9421) that authenticated a request: its key id and algorithm.</summary>
/// <param name="KeyId">The verified <c>keyid</c>.</param>
/// <param name="Algorithm">The key's algorithm (<c>ecdsa-p256-sha256</c>…).</param>
public sealed record SignatureEvidence(string KeyId, string Algorithm) : IdentityEvidence;
