using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;
using MutualAuth.Gateway;
using MutualAuth.Testing;
using MutualAuth.Testing.WebAuthn;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>The page, the ceremony endpoints and the session through the in-process gateway, with the software authenticator.</summary>
public sealed class WebAuthnGatewayTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly MemoryWebAuthnStores _stores = new();
    private readonly SoftwareAuthenticator _authenticator = new();
    private string _origin = "";

    public void Dispose()
    {
        _pki.Dispose();
        _authenticator.Dispose();
    }

    private int _userFailureBurst = 5;

    private async Task<InProcessGateway> Start(params string[] routes)
    {
        using var server = _pki.Server();
        var gateway = await InProcessGateway.Start(_pki, server, configure: options =>
        {
            foreach (var route in routes.Length == 0 ? ["/whoami=webauthn"] : routes)
            {
                options.Routes.Add(GatewayRoute.Parse(route));
            }

            // Read when the scheme's options are first built, after the port is known.
            options.ConfigureWebAuthn = o =>
            {
                o.Policy = new WebAuthnPolicy { Origin = _origin };
                o.Credentials = _stores;
                o.Challenges = _stores;
                o.UserFailureBurst = _userFailureBurst;
            };
        });
        _origin = gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        _authenticator.Origin = _origin;
        return gateway;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(HttpClient http, InProcessGateway gateway, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(gateway.BaseAddress, path), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    private async Task<string> EnrolAndLogIn(HttpClient http, InProcessGateway gateway)
    {
        var invite = await WebAuthnInvitations.CreateAsync(_stores, "alice", TimeSpan.FromMinutes(5), TimeProvider.System, default);
        var start = await Post(http, gateway, "/webauthn/api/enrol/options", new JsonObject { ["invite"] = invite }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, start.Status);
        var registered = await Post(http, gateway, "/webauthn/api/register", new JsonObject
        {
            ["challengeId"] = start.Body.GetProperty("challengeId").GetString(),
            ["credential"] = JsonNode.Parse(_authenticator.Create(start.Body.GetProperty("publicKey")).GetRawText()),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Equal("alice", registered.Body.GetProperty("user").GetString());

        var login = await Post(http, gateway, "/webauthn/api/login/options", """{"userName":"alice"}""");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        var done = await Post(http, gateway, "/webauthn/api/login", new JsonObject
        {
            ["challengeId"] = login.Body.GetProperty("challengeId").GetString(),
            ["credential"] = JsonNode.Parse(_authenticator.Get(login.Body.GetProperty("publicKey")).GetRawText()),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, done.Status);
        var cookie = Assert.Single(done.Response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(WebAuthnDefaults.SessionCookie + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        return cookie.Split(';')[0];
    }

    private static async Task<HttpResponseMessage> WhoAmI(HttpClient http, InProcessGateway gateway, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/whoami"));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Enrol_by_invitation_log_in_and_the_session_opens_a_webauthn_route_until_the_passkey_is_removed()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        Assert.Equal(HttpStatusCode.Forbidden, (await WhoAmI(http, gateway, null)).StatusCode);

        var cookie = await EnrolAndLogIn(http, gateway);
        using var whoami = await WhoAmI(http, gateway, cookie);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        var body = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("alice", body.GetProperty("subject").GetString());
        Assert.Equal("webauthn", body.GetProperty("method").GetString());
        Assert.Equal(["hwk", "user"], body.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(2, gateway.Audit.ListRecent(10).Count(e => e.Method == "webauthn" && e.Decision == AuditDecision.Accept));

        await _stores.RemoveAsync("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await WhoAmI(http, gateway, cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await WhoAmI(http, gateway, WebAuthnDefaults.SessionCookie + "=forged")).StatusCode);
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_policy()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        using var page = await http.GetAsync(new Uri(gateway.BaseAddress, "/webauthn/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var id in new[] { "username", "register", "login", "result" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        using var script = await http.GetAsync(new Uri(gateway.BaseAddress, "/webauthn/webauthn.js"));
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var redirect = await http.GetAsync(new Uri(gateway.BaseAddress, "/webauthn?invite=x"));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("/webauthn/?invite=x", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Registration_needs_an_invitation_or_the_operators_route()
    {
        await using var gateway = await Start("/whoami=webauthn", "/webauthn/register=mtls");
        using var anonymous = TestHttpClients.ServerOnly(_pki);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(anonymous, gateway, WebAuthnEndpoints.RegisterPath, "{}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(anonymous, gateway, "/webauthn/api/enrol/options", """{"invite":"guessed"}""")).Status);

        using var alice = _pki.Client("alice");
        using var withCertificate = TestHttpClients.Create(_pki, alice);
        var start = await Post(withCertificate, gateway, WebAuthnEndpoints.RegisterPath, "{}");
        Assert.Equal(HttpStatusCode.OK, start.Status);
        Assert.Equal("alice", start.Body.GetProperty("publicKey").GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_invitation_is_used_once()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        var invite = await WebAuthnInvitations.CreateAsync(_stores, "alice", TimeSpan.FromMinutes(5), TimeProvider.System, default);
        var body = new JsonObject { ["invite"] = invite }.ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await Post(http, gateway, "/webauthn/api/enrol/options", body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, gateway, "/webauthn/api/enrol/options", body)).Status);
        Assert.Contains(gateway.Audit.ListRecent(10), e => e.ReasonCode == WebAuthnReasons.EnrolmentRequired.Value);
    }

    [Theory]
    [InlineData("/webauthn/api/login", "")]
    [InlineData("/webauthn/api/login", "not json")]
    [InlineData("/webauthn/api/login", "{\"challengeId\":\"x\",\"credential\":{}}")]
    [InlineData("/webauthn/api/login", "{\"challengeId\":1}")]
    [InlineData("/webauthn/api/register", "{\"challengeId\":\"x\",\"credential\":[1,2]}")]
    [InlineData("/webauthn/api/login/options", "{\"userName\":\"\"}")]
    [InlineData("/webauthn/api/login/options", "{\"userName\":\"a\\u0000b\"}")]
    [InlineData("/webauthn/api/enrol/options", "{\"invite\":null}")]
    [InlineData("/webauthn/register/options", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task Malformed_requests_are_refused_never_a_500(string path, string body)
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, gateway, path, body)).Status);
    }

    [Fact]
    public async Task A_large_body_or_another_content_type_is_refused_unread()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, gateway, "/webauthn/api/login", "{\"challengeId\":\"" + new string('a', 70_000) + "\"}")).Status);
        using var form = new StringContent("challengeId=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(new Uri(gateway.BaseAddress, "/webauthn/api/login"), form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Failed_logins_of_a_user_are_limited_with_429_known_user_or_not()
    {
        _userFailureBurst = 2;
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        await EnrolAndLogIn(http, gateway);

        foreach (var user in new[] { "alice", "mallory" })
        {
            for (var i = 0; i < 2; i++)
            {
                var start = await Post(http, gateway, "/webauthn/api/login/options", new JsonObject { ["userName"] = user }.ToJsonString());
                Assert.Equal(HttpStatusCode.OK, start.Status);
                var bent = JsonNode.Parse(_authenticator.Get(start.Body.GetProperty("publicKey"), signature => [.. signature.Take(8)]).GetRawText());
                var done = await Post(http, gateway, "/webauthn/api/login", new JsonObject { ["challengeId"] = start.Body.GetProperty("challengeId").GetString(), ["credential"] = bent }.ToJsonString());
                Assert.Equal(HttpStatusCode.Forbidden, done.Status);
            }

            var limited = await Post(http, gateway, "/webauthn/api/login/options", new JsonObject { ["userName"] = user }.ToJsonString());
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
            Assert.True(int.Parse(limited.Response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        Assert.Equal(2, gateway.Audit.ListRecent(50).Count(e => e.ReasonCode == WebAuthnReasons.RateLimited.Value));
        // Another name is not affected (4 failures from this address: under its burst of 20).
        Assert.Equal(HttpStatusCode.OK, (await Post(http, gateway, "/webauthn/api/login/options", """{"userName":"bob"}""")).Status);
    }

    [Fact]
    public async Task A_login_without_a_user_name_gives_a_session()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        await EnrolAndLogIn(http, gateway);

        var start = await Post(http, gateway, "/webauthn/api/login/options", "{}");
        Assert.Equal(HttpStatusCode.OK, start.Status);
        var done = await Post(http, gateway, "/webauthn/api/login", new JsonObject
        {
            ["challengeId"] = start.Body.GetProperty("challengeId").GetString(),
            ["credential"] = JsonNode.Parse(_authenticator.Get(start.Body.GetProperty("publicKey")).GetRawText()),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("alice", done.Body.GetProperty("user").GetString());
    }
}
