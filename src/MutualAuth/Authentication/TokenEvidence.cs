namespace MutualAuth.Authentication;

/// <summary>An OAuth 2.0 access token that authenticated a request: who issued it, to which client, and what bound it.</summary>
/// <param name="Issuer">The token's <c>iss</c>.</param>
/// <param name="ClientId">The token's <c>client_id</c>.</param>
/// <param name="Scopes">The token's scopes.</param>
/// <param name="Binding"><c>dpop</c> (RFC 9449) or <c>mtls</c> (RFC 8705 certificate-bound).</param>
public sealed record TokenEvidence(string Issuer, string ClientId, IReadOnlyList<string> Scopes, string Binding) : IdentityEvidence;
