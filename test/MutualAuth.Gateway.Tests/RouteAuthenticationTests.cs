using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests;

public sealed class RouteAuthenticationTests
{
    private static AuthenticationMethodRegistry Registry(params string[] methods) =>
        new(methods.Select((m, i) => new AuthenticationMethodRegistration(m, "Scheme-" + m, i)));

    [Fact]
    public void A_route_naming_an_unregistered_method_is_a_configuration_error_not_a_fallback_to_signatures()
    {
        // Regression: an unknown method used to be sent to the signature scheme by a catch-all arm.
        var route = new GatewayRoute("/api", [["bogus"]]);

        var error = Assert.Throws<InvalidOperationException>(() => new RouteAuthentication([route], Registry("mtls", "scram", "sig")));

        Assert.Contains("'bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("mtls, scram, sig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_name_whose_scheme_was_not_added_is_refused_too() =>
        Assert.Throws<InvalidOperationException>(() => new RouteAuthentication([GatewayRoute.Parse("/api=sig")], Registry("mtls")));

    [Fact]
    public void None_routes_need_no_registration() =>
        _ = new RouteAuthentication([GatewayRoute.Parse("/health=none")], Registry("mtls"));

    [Fact]
    public async Task The_gateway_refuses_to_build_with_an_unknown_route_method()
    {
        using var pki = new TestPki();
        using var server = pki.Server();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessGateway.Start(pki, server, configure: o => o.Routes.Add(new GatewayRoute("/x", [["bogus"]]))));

        Assert.Contains("'bogus'", error.Message, StringComparison.Ordinal);
    }
}
