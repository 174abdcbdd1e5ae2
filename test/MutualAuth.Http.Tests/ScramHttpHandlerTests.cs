using System.Net;
using System.Text;
using MutualAuth.Scram;

namespace MutualAuth.Http.Tests;

/// <summary>The client against scripted servers: honest ones, and impostors that do not prove they hold the verifier.</summary>
public sealed class ScramHttpHandlerTests
{
    private static readonly Uri Url = new("https://api.example/data");
    private static readonly ScramCredential Verifier = ScramCredential.Create(ScramMechanism.Sha256, "correct horse");

    private static HttpClient Client(FakeServer server, string password = "correct horse") =>
        new(new ScramHttpHandler(new ScramClientOptions { UserName = "alice", Password = () => password }) { InnerHandler = server });

    [Fact]
    public async Task An_honest_server_gets_the_request_with_its_body_on_every_step()
    {
        var server = new FakeServer(Verifier);
        using var client = Client(server);

        using var response = await client.PostAsync(Url, new StringContent("payload"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secret data", await response.Content.ReadAsStringAsync());
        Assert.Equal(["payload", "payload", "payload"], server.Bodies);
    }

    [Fact]
    public async Task A_server_that_answers_at_once_without_asking_for_scram_is_refused()
    {
        using var client = Client(new FakeServer(Verifier) { SkipAuthentication = true });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.PostAsync(Url, new StringContent("payload")));

        Assert.Equal("invalid-server-signature", error.Reason.Value);
        Assert.Equal(RefusingParty.Client, error.RefusedBy);
    }

    [Fact]
    public async Task A_server_that_answers_without_a_server_signature_is_refused_and_its_body_discarded()
    {
        using var client = Client(new FakeServer(Verifier) { Final = (_, _) => "" });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal("invalid-server-signature", error.Reason.Value);
        Assert.Equal(RefusingParty.Client, error.RefusedBy);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_impostor_that_does_not_know_the_verifier_cannot_forge_v()
    {
        // The impostor accepts any proof and signs with a ServerKey of its own making.
        var impostor = ScramCredential.Create(ScramMechanism.Sha256, "guess");
        using var client = Client(new FakeServer(Verifier) { Final = (sid, _) => Info(sid, "v=" + Convert.ToBase64String(impostor.ServerKey)) });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal("invalid-server-signature", error.Reason.Value);
    }

    [Fact]
    public async Task A_signature_for_another_exchange_is_refused()
    {
        using var client = Client(new FakeServer(Verifier) { Final = (_, final) => Info("other-sid", final) });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal("invalid-server-signature", error.Reason.Value);
    }

    [Fact]
    public async Task A_server_asking_for_more_iterations_than_the_ceiling_is_refused_before_any_work()
    {
        var costly = ScramCredential.Derive(ScramMechanism.Sha256, "correct horse", [1, 2, 3, 4], 2_000_000);
        using var client = Client(new FakeServer(costly));

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal("iteration-count-out-of-range", error.Reason.Value);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_refused_by_the_server()
    {
        using var client = Client(new FakeServer(Verifier), "wrong");

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal(RefusingParty.Server, error.RefusedBy);
        Assert.Contains("invalid-proof", error.Message, StringComparison.Ordinal);
    }

    private static string Info(string sid, string serverFinal) =>
        HttpAuthParameters.Format("", ("sid", sid), ("data", Convert.ToBase64String(Encoding.UTF8.GetBytes(serverFinal))));

    /// <summary>RFC 7804 server for one user, with a hook to replace the Authentication-Info of the final answer.</summary>
    private sealed class FakeServer(ScramCredential credential) : HttpMessageHandler
    {
        private readonly Dictionary<string, ScramServer> _exchanges = [];

        public List<string> Bodies { get; } = [];

        public Func<string, string, string>? Final { get; init; }

        public bool SkipAuthentication { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            if (SkipAuthentication)
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("secret data") };
            }

            var header = request.Headers.NonValidated.TryGetValues("Authorization", out var values) ? values.Single() : null;
            if (header is null || !HttpAuthParameters.TryParse(header, out _, out var parameters))
            {
                return Challenge(HttpAuthParameters.Format("SCRAM-SHA-256", ("realm", "test")));
            }

            var message = Encoding.UTF8.GetString(Convert.FromBase64String(parameters["data"]));
            if (!parameters.TryGetValue("sid", out var sid))
            {
                var server = new ScramServer(ScramMechanism.Sha256, _ => credential, new byte[16]);
                sid = Guid.NewGuid().ToString("N");
                _exchanges[sid] = server;
                return Challenge(HttpAuthParameters.Format("SCRAM-SHA-256", ("sid", sid), ("data", B64(server.HandleClientFirst(message)))));
            }

            string serverFinal;
            try
            {
                serverFinal = _exchanges[sid].HandleClientFinal(message);
            }
            catch (ScramException e)
            {
                return Challenge(HttpAuthParameters.Format("SCRAM-SHA-256", ("realm", "test"), ("data", B64(ScramServer.ErrorMessage(e.Error)))));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("secret data") };
            var info = Final is null ? Info(sid, serverFinal) : Final(sid, serverFinal);
            if (info.Length > 0)
            {
                response.Headers.TryAddWithoutValidation("Authentication-Info", info);
            }

            return response;
        }

        private static HttpResponseMessage Challenge(string value)
        {
            var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", value);
            return response;
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
