namespace MutualAuth.Gateway.Tests;

public sealed class GatewayRouteTests
{
    [Fact]
    public void Parses_alternatives_and_required_combinations()
    {
        var route = GatewayRoute.Parse("/api/=scram, MTLS+scram");

        Assert.Equal("/api", route.PathPrefix);
        Assert.Equal([["scram"], ["mtls", "scram"]], route.Alternatives);
        Assert.Equal("/api=scram,mtls+scram", route.ToString());
        Assert.True(route.Uses("mtls"));
    }

    [Theory]
    [InlineData("api=scram")]
    [InlineData("/api")]
    [InlineData("/api=password")]
    [InlineData("/api=")]
    [InlineData("/a?b=scram")]
    public void Refuses_what_is_not_path_equals_known_methods(string text) =>
        Assert.Throws<FormatException>(() => GatewayRoute.Parse(text));

    [Fact]
    public void Parses_a_hardware_key_requirement_on_mtls()
    {
        var route = GatewayRoute.Parse("/admin=mtls:hwk+scram,sig");

        Assert.Equal([["mtls", "scram"], ["sig"]], route.Alternatives);
        Assert.Equal(["hwk"], route.RequiredAmrOf(0));
        Assert.Empty(route.RequiredAmrOf(1));
        Assert.Equal("/admin=mtls:hwk+scram,sig", route.ToString());
    }

    [Theory]
    [InlineData("/admin=scram:hwk")]
    [InlineData("/admin=mtls:pwd")]
    [InlineData("/admin=mtls:hwk:sc")]
    [InlineData("/admin=none:hwk")]
    public void Refuses_a_requirement_the_method_cannot_carry(string text) =>
        Assert.Throws<FormatException>(() => GatewayRoute.Parse(text));

    [Fact]
    public void Parses_none_as_a_route_without_authentication()
    {
        var route = GatewayRoute.Parse("/health=NONE");

        Assert.Equal("/health", route.PathPrefix);
        Assert.Equal([["none"]], route.Alternatives);
        Assert.True(route.IsAnonymous);
        Assert.False(GatewayRoute.Parse("/api=scram,mtls").IsAnonymous);
        Assert.Equal("/health=none", route.ToString());
    }

    [Theory]
    [InlineData("/health=none+mtls")]
    [InlineData("/health=mtls+none")]
    [InlineData("/health=none,sig")]
    [InlineData("/health=scram,none")]
    [InlineData("/health=none,none")]
    public void Refuses_none_beside_any_other_method(string text) =>
        Assert.Throws<FormatException>(() => GatewayRoute.Parse(text));

    [Theory]
    [InlineData("/api", "/api")]
    [InlineData("/api/x/y", "/api/x")]
    [InlineData("/API/X", "/api/x")]
    [InlineData("/apix", "/")]
    [InlineData("/other", "/")]
    [InlineData("//api/x", "/api/x")]
    [InlineData("///API//X/", "/api/x")]
    [InlineData("/api;jsessionid=1/x", "/api/x")]
    [InlineData("/api./x", "/api/x")]
    [InlineData("/api%20", "/")]
    public void The_longest_prefix_on_whole_segments_applies_ignoring_case(string path, string expected)
    {
        GatewayRoute[] routes = [GatewayRoute.Parse("/=scram"), GatewayRoute.Parse("/api=mtls"), GatewayRoute.Parse("/api/x=mtls+scram")];

        Assert.Equal(expected, GatewayRoute.Select(routes, path).PathPrefix);
    }

    [Fact]
    public void Without_routes_every_path_needs_mutual_tls() =>
        Assert.Same(GatewayRoute.Default, GatewayRoute.Select([], "/anything"));

    [Fact]
    public void Token_bearer_allows_unbound_tokens_on_that_route_only()
    {
        var route = GatewayRoute.Parse("/public=token:bearer,mtls");

        Assert.True(route.AllowsBearerTokens);
        Assert.Equal([["token"], ["mtls"]], route.Alternatives);
        Assert.Equal("/public=token:bearer,mtls", route.ToString());
        Assert.False(GatewayRoute.Parse("/api=token").AllowsBearerTokens);
    }

    [Theory]
    [InlineData("/api=token:bearer,token+mtls")]
    [InlineData("/api=mtls:bearer")]
    [InlineData("/api=token:pop")]
    public void Bearer_is_refused_beside_plain_token_or_on_another_method(string text) =>
        Assert.Throws<FormatException>(() => GatewayRoute.Parse(text));
}
