using Microsoft.AspNetCore.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Which access tokens a resource accepts (RFC 9068 from the trusted issuers, DPoP- or certificate-bound).</summary>
internal sealed class AccessTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The issuers whose tokens are accepted, with their keys (the built-in one first, then external ones).</summary>
    public IReadOnlyList<TrustedIssuer> Issuers { get; set; } = [];

    /// <summary>Our resource identifier (<c>aud</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>The public URL requests are addressed to: DPoP's <c>htu</c> is compared with it plus the path, never with <c>Host</c>.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Records DPoP <c>jti</c>s once per key.</summary>
    public SingleUse? SingleUse { get; set; }

    /// <summary>Server nonces every proof must carry, or null for none.</summary>
    public DpopNonces? Nonces { get; set; }

    /// <summary>Whether unbound bearer tokens are accepted everywhere (never by default; a route can allow them with <c>token:bearer</c>).</summary>
    public bool AllowBearer { get; set; }

    /// <summary>Sender-constrained token events.</summary>
    public new AccessTokenEvents? Events
    {
        get => (AccessTokenEvents?)base.Events;
        set => base.Events = value;
    }

    public override void Validate()
    {
        base.Validate();
        if (Issuers.Count == 0 || string.IsNullOrEmpty(Audience) || PublicUrl is null || SingleUse is null)
        {
            throw new InvalidOperationException("Access token authentication needs an issuer with its keys, an audience, the public URL and a replay store.");
        }
    }
}
