namespace MutualAuth.Tokens;

/// <summary>The claims of a validated RFC 9068 access token.</summary>
/// <param name="Issuer"><c>iss</c>.</param>
/// <param name="Subject"><c>sub</c> (the client for client_credentials).</param>
/// <param name="ClientId"><c>client_id</c>.</param>
/// <param name="Scopes"><c>scope</c>, split on spaces.</param>
/// <param name="Jti"><c>jti</c>.</param>
/// <param name="Expires"><c>exp</c>.</param>
/// <param name="Confirmation"><c>cnf</c>.</param>
internal sealed record AccessToken(
    string Issuer, string Subject, string ClientId, IReadOnlyList<string> Scopes, string Jti, DateTimeOffset Expires, TokenConfirmation Confirmation);
