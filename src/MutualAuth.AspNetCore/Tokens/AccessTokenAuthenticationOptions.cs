using Microsoft.AspNetCore.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Which access tokens a resource accepts (RFC 9068 from one issuer, DPoP- or certificate-bound).</summary>
internal sealed class AccessTokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The issuer identifier tokens must carry.</summary>
    public string? Issuer { get; set; }

    /// <summary>Our resource identifier (<c>aud</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer's pinned keys.</summary>
    public Func<IReadOnlyList<PublicJwk>>? Keys { get; set; }

    /// <summary>The public URL requests are addressed to: DPoP's <c>htu</c> is compared with it plus the path, never with <c>Host</c>.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Records DPoP <c>jti</c>s once per key.</summary>
    public SingleUse? SingleUse { get; set; }

    /// <summary>Server nonces every proof must carry, or null for none.</summary>
    public DpopNonces? Nonces { get; set; }

    /// <summary>Whether unbound bearer tokens are accepted (never by default).</summary>
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
        if (string.IsNullOrEmpty(Issuer) || string.IsNullOrEmpty(Audience) || Keys is null || PublicUrl is null || SingleUse is null)
        {
            throw new InvalidOperationException("Access token authentication needs an issuer, an audience, the issuer's keys, the public URL and a replay store.");
        }
    }
}
