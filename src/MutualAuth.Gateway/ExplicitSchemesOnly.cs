using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MutualAuth.Gateway;

/// <summary>The gateway's scheme provider: no default scheme of any kind; <see cref="RouteAuthentication"/> names every scheme it runs.</summary>
// Even with one scheme registered: ASP.NET Core otherwise makes a lone scheme the default, and the authentication
// middleware WebApplication adds by itself would then run mutual TLS on every request, audit "no-certificate" on paths
// that need none and set an identity on 'none' routes.
internal sealed class ExplicitSchemesOnly(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

    public override Task<AuthenticationScheme?> GetDefaultChallengeSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

    public override Task<AuthenticationScheme?> GetDefaultForbidSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

    public override Task<AuthenticationScheme?> GetDefaultSignInSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

    public override Task<AuthenticationScheme?> GetDefaultSignOutSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);
}
