using System.Net;
using System.Text;
using MutualAuth.Gateway;
using MutualAuth.AspNetCore.Scram;
using MutualAuth.Authentication;
using MutualAuth.Http;
using MutualAuth.Scram;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.Scram;

public sealed class ScramGatewayTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly MemoryScramUserStore _users = new();

    public ScramGatewayTests() => _users.Add("alice", "correct horse");

    public void Dispose() => _pki.Dispose();

    private async Task<InProcessGateway> Start(Action<ScramAuthenticationOptions>? scram = null, params string[] routes)
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, configure: options =>
        {
            foreach (var route in routes.Length == 0 ? ["/=scram"] : routes)
            {
                options.Routes.Add(GatewayRoute.Parse(route));
            }

            options.ScramUsers = _users;
            options.ScramServerSecret = new byte[32];
            options.ConfigureScram = scram;
        });
    }

    [Fact]
    public async Task A_login_over_tls_uses_plus_and_the_response_carries_the_server_signature()
    {
        await using var gateway = await Start();
        using var alice = new ScramTestClient(_pki, "alice", "correct horse");

        using var response = await alice.Client.GetAsync(new Uri(gateway.BaseAddress, "/whoami"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"method\": \"scram\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Authentication-Info"));
        Assert.Equal([null, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256-PLUS"], alice.Recorder.Authorizations.Select(a => a?.Split(' ')[0]));
        var accepted = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Accept, "scram", "alice"), (accepted.Decision, accepted.Method, accepted.Subject));
    }

    [Fact]
    public async Task The_rfc7804_exchange_works_by_hand_and_a_used_sid_cannot_be_replayed()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        var url = new Uri(gateway.BaseAddress, "/whoami");
        var client = new ScramClient(ScramMechanism.Sha256, "alice", "correct horse");

        using var challenge = await http.GetAsync(url);
        using var first = await Send(http, url, HttpAuthParameters.Format("SCRAM-SHA-256", ("realm", "mutualauth"), ("data", B64(client.CreateClientFirst()))));
        Assert.True(HttpAuthParameters.TryParse(first.Headers.WwwAuthenticate.ToString(), out var scheme, out var serverFirst));
        var finalHeader = HttpAuthParameters.Format("SCRAM-SHA-256", ("sid", serverFirst["sid"]), ("data", B64(client.CreateClientFinal(Text(serverFirst["data"])))));
        using var final = await Send(http, url, finalHeader);
        using var replay = await Send(http, url, finalHeader);

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-512"], challenge.Headers.WwwAuthenticate.Select(c => c.Scheme));
        Assert.Equal((HttpStatusCode.Unauthorized, "SCRAM-SHA-256"), (first.StatusCode, scheme));
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.True(HttpAuthParameters.TryParse("x " + final.Headers.GetValues("Authentication-Info").Single(), out _, out var info));
        Assert.Equal(serverFirst["sid"], info["sid"]);
        client.VerifyServerFinal(Text(info["data"]));
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }

    [Fact]
    public async Task An_unknown_sid_is_audited_as_unknown_session_and_answered_as_before()
    {
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        var url = new Uri(gateway.BaseAddress, "/whoami");
        var client = new ScramClient(ScramMechanism.Sha256, "alice", "correct horse");
        client.CreateClientFirst();

        using var response = await Send(http, url, HttpAuthParameters.Format("SCRAM-SHA-256", ("sid", "no-such-session"), ("data", B64("c=biws,r=abc,p=AAAA"))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refused = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Refuse, "scram", "unknown-session"), (refused.Decision, refused.Method, refused.ReasonCode));
        Assert.Matches(@"^127\.0\.0\.1:[0-9]+$", refused.PeerAddress); // IP:port, as for mTLS
        // The wire stays RFC 5802's: e=invalid-encoding, the value the server has always sent for an unknown sid.
        var challenge = response.Headers.WwwAuthenticate.Single(c => c.Scheme == "SCRAM-SHA-256");
        Assert.True(HttpAuthParameters.TryParse(challenge.ToString(), out _, out var parameters));
        Assert.Equal("e=invalid-encoding", Text(parameters["data"]));
    }

    [Fact]
    public async Task Scram_decisions_raise_OnValidated_and_OnFailed_with_the_identity_and_the_reason()
    {
        var seen = new List<string>();
        await using var gateway = await Start(o =>
        {
            o.Events.OnValidated = c =>
            {
                seen.Add($"validated {c.Identity.Subject} {((ScramEvidence)c.Identity.Evidence!).Mechanism}");
                return Task.CompletedTask;
            };
            o.Events.OnFailed = c =>
            {
                seen.Add($"failed {c.Reason}");
                return Task.CompletedTask;
            };
        });
        using var wrong = new ScramTestClient(_pki, "alice", "wrong");
        using var alice = new ScramTestClient(_pki, "alice", "correct horse");
        var url = new Uri(gateway.BaseAddress, "/whoami");

        await Assert.ThrowsAsync<MutualAuthenticationException>(() => wrong.Client.GetAsync(url));
        using var response = await alice.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["failed invalid-proof", "validated alice SCRAM-SHA-256-PLUS"], seen);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_are_refused_alike()
    {
        await using var gateway = await Start();
        using var wrong = new ScramTestClient(_pki, "alice", "wrong");
        using var unknown = new ScramTestClient(_pki, "mallory", "wrong");
        var url = new Uri(gateway.BaseAddress, "/whoami");

        var wrongError = await Assert.ThrowsAsync<MutualAuthenticationException>(() => wrong.Client.GetAsync(url));
        var unknownError = await Assert.ThrowsAsync<MutualAuthenticationException>(() => unknown.Client.GetAsync(url));

        Assert.Equal(RefusingParty.Server, wrongError.RefusedBy);
        Assert.Equal(wrongError.Message, unknownError.Message);
        Assert.Contains("invalid-proof", wrongError.Message, StringComparison.Ordinal);
        Assert.All(gateway.Audit.ListRecent(10), e => Assert.Equal((AuditDecision.Refuse, "invalid-proof"), (e.Decision, e.ReasonCode)));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(10_000)]
    [InlineData(50_000)]
    public async Task Known_and_unknown_users_get_the_same_iteration_count_and_salt_length_from_the_gateway(int iterations)
    {
        await _users.RemoveAsync("alice");
        _users.Add("alice", "correct horse", iterations);
        _users.Add("bob", "battery staple", iterations);
        await using var gateway = await Start();
        using var http = TestHttpClients.ServerOnly(_pki);
        var url = new Uri(gateway.BaseAddress, "/whoami");

        async Task<(string Iterations, int SaltLength)> ServerFirst(string user)
        {
            var client = new ScramClient(ScramMechanism.Sha256, user, "x");
            using var first = await Send(http, url, HttpAuthParameters.Format("SCRAM-SHA-256", ("realm", "mutualauth"), ("data", B64(client.CreateClientFirst()))));
            Assert.True(HttpAuthParameters.TryParse(first.Headers.WwwAuthenticate.ToString(), out _, out var parameters));
            var attributes = Text(parameters["data"]).Split(',').ToDictionary(a => a[0], a => a[2..]);
            return (attributes['i'], Convert.FromBase64String(attributes['s']).Length);
        }

        var known = await ServerFirst("alice");
        Assert.Equal(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), known.Iterations);
        Assert.Equal(known, await ServerFirst("mallory"));
        Assert.Equal(known, await ServerFirst("eve"));
    }

    [Fact]
    public async Task Failures_are_rate_limited_per_user_even_for_the_right_password_afterwards()
    {
        await using var gateway = await Start(o => o.UserFailureBurst = 2);
        var url = new Uri(gateway.BaseAddress, "/whoami");
        for (var i = 0; i < 2; i++)
        {
            using var wrong = new ScramTestClient(_pki, "alice", "wrong");
            await Assert.ThrowsAsync<MutualAuthenticationException>(() => wrong.Client.GetAsync(url));
        }

        using var right = new ScramTestClient(_pki, "alice", "correct horse");
        var limited = await Assert.ThrowsAsync<MutualAuthenticationException>(() => right.Client.GetAsync(url));

        Assert.Equal(RefusingParty.Server, limited.RefusedBy);
        Assert.NotNull(limited.RetryAfter);
        Assert.Contains(gateway.Audit.ListRecent(10), e => e.ReasonCode == "rate-limited");
    }

    [Fact]
    public async Task Failures_are_rate_limited_per_address_across_user_names()
    {
        await using var gateway = await Start(o => o.AddressFailureBurst = 2);
        var url = new Uri(gateway.BaseAddress, "/whoami");
        foreach (var name in new[] { "u1", "u2" })
        {
            using var guess = new ScramTestClient(_pki, name, "guess");
            await Assert.ThrowsAsync<MutualAuthenticationException>(() => guess.Client.GetAsync(url));
        }

        using var third = new ScramTestClient(_pki, "u3", "guess");
        var limited = await Assert.ThrowsAsync<MutualAuthenticationException>(() => third.Client.GetAsync(url));

        Assert.NotNull(limited.RetryAfter);
    }

    [Fact]
    public async Task Required_channel_binding_offers_only_plus_and_a_client_that_will_not_bind_gets_nothing()
    {
        await using var gateway = await Start(o => o.RequireChannelBinding = true);
        using var unbound = new ScramTestClient(_pki, "alice", "correct horse", ChannelBindingPolicy.Disabled);
        using var bound = new ScramTestClient(_pki, "alice", "correct horse", ChannelBindingPolicy.Required);
        var url = new Uri(gateway.BaseAddress, "/whoami");

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => unbound.Client.GetAsync(url));
        using var ok = await bound.Client.GetAsync(url);

        Assert.Equal("channel-bindings-dont-match", error.Reason.Value);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_binding_to_another_certificate_is_refused()
    {
        await using var gateway = await Start();
        using var other = _pki.Server("other.example");
        using var alice = new ScramTestClient(_pki, "alice", "correct horse", serverCertificate: _ => other.Certificate);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => alice.Client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Contains("channel-bindings-dont-match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plus_stripped_from_the_challenges_is_detected_as_a_downgrade()
    {
        await using var gateway = await Start();
        using var alice = new ScramTestClient(_pki, "alice", "correct horse", tamper: StripPlus);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => alice.Client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(RefusingParty.Server, error.RefusedBy);
        Assert.Contains("channel-bindings-dont-match", error.Message, StringComparison.Ordinal);
        Assert.True(HttpAuthParameters.TryParse(alice.Recorder.Authorizations.ElementAt(1), out var scheme, out var clientFirst));
        Assert.Equal("SCRAM-SHA-256", scheme);
        Assert.StartsWith("y,,", Text(clientFirst["data"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_cookie_replaces_the_exchange_until_the_password_changes()
    {
        await using var gateway = await Start();
        using var alice = new ScramTestClient(_pki, "alice", "correct horse");
        var url = new Uri(gateway.BaseAddress, "/whoami");

        using var login = await alice.Client.GetAsync(url);
        using var again = await alice.Client.GetAsync(url);
        var sentBeforeChange = alice.Recorder.Authorizations.Count;
        _users.Add("alice", "new password");
        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => alice.Client.GetAsync(url));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (login.StatusCode, again.StatusCode));
        Assert.Equal(4, sentBeforeChange);
        Assert.Null(alice.Recorder.Authorizations.ElementAt(3));
        Assert.Equal(RefusingParty.Server, error.RefusedBy);
    }

    [Fact]
    public async Task Routes_combine_methods_and_keep_mtls_where_asked()
    {
        await using var gateway = await Start(null, "/=mtls", "/api=scram,mtls", "/both=mtls+scram");
        using var certificate = _pki.Client("alice");
        using var scramOnly = new ScramTestClient(_pki, "alice", "correct horse");
        using var both = new ScramTestClient(_pki, "alice", "correct horse", certificate: certificate);

        // A server that answers without asking for SCRAM never proves itself: the client discards the answer (a 403 here).
        var mtlsRoute = await Assert.ThrowsAsync<MutualAuthenticationException>(() => scramOnly.Client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));
        using var either = await scramOnly.Client.GetAsync(new Uri(gateway.BaseAddress, "/api/x"));
        using var bothMissingCertificate = await scramOnly.Client.GetAsync(new Uri(gateway.BaseAddress, "/both/x"));
        using var bothPresent = await both.Client.GetAsync(new Uri(gateway.BaseAddress, "/both/x"));

        Assert.Contains("403", mtlsRoute.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, either.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bothMissingCertificate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bothPresent.StatusCode);
    }

    [Theory]
    [InlineData("//both/x")]
    [InlineData("/both;x/y")]
    [InlineData("/both./y")]
    public async Task Merged_slashes_and_path_parameters_cannot_step_around_a_route(string path)
    {
        await using var gateway = await Start(null, "/=scram", "/both=mtls+scram");
        using var scramOnly = new ScramTestClient(_pki, "alice", "correct horse");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress.GetLeftPart(UriPartial.Authority) + path, UriKind.Absolute));

        using var response = await scramOnly.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task One_address_cannot_fill_the_table_of_pending_exchanges()
    {
        await using var gateway = await Start(o => o.MaxPendingExchangesPerAddress = 2);
        using var http = TestHttpClients.ServerOnly(_pki);
        var url = new Uri(gateway.BaseAddress, "/whoami");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var client = new ScramClient(ScramMechanism.Sha256, "alice", "correct horse");
            using var first = await Send(http, url, HttpAuthParameters.Format("SCRAM-SHA-256", ("data", B64(client.CreateClientFirst()))));
            statuses.Add(first.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Contains(gateway.Audit.ListRecent(10), e => e.ReasonCode == "busy");
    }

    [Fact]
    public async Task Both_methods_show_in_whoami()
    {
        await using var gateway = await Start(null, "/=mtls+scram");
        using var certificate = _pki.Client("alice-device");
        using var both = new ScramTestClient(_pki, "alice", "correct horse", certificate: certificate);

        var body = await both.Client.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami"));

        Assert.Contains("\"method\": \"mtls+scram\"", body, StringComparison.Ordinal);
        Assert.Contains("\"swk\"", body, StringComparison.Ordinal);
        Assert.Contains("\"pwd\"", body, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var factors = json.RootElement.GetProperty("factors").EnumerateArray().Select(f => (f.GetProperty("method").GetString(), f.GetProperty("subject").GetString())).ToList();
        Assert.Equal([("mtls", "alice-device"), ("scram", "alice")], factors);
    }

    [Fact]
    public async Task A_presented_certificate_must_still_pass_on_a_scram_route()
    {
        await using var gateway = await Start();
        using var stranger = new TestPki(name: "Stranger");
        using var untrusted = stranger.Client("mallory");
        using var mallory = new ScramTestClient(_pki, "alice", "correct horse", certificate: untrusted);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => mallory.Client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));
    }

    private static HttpResponseMessage StripPlus(HttpResponseMessage response)
    {
        if (response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values))
        {
            var kept = values.Where(v => !v.Contains("-PLUS", StringComparison.Ordinal)).ToList();
            response.Headers.Remove("WWW-Authenticate");
            foreach (var value in kept)
            {
                response.Headers.TryAddWithoutValidation("WWW-Authenticate", value);
            }
        }

        return response;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, Uri url, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await http.SendAsync(request);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Text(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
