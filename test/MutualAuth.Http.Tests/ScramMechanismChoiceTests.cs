using System.Net;
using System.Text;
using MutualAuth.Certificates;
using MutualAuth.Scram;
using MutualAuth.Testing;

namespace MutualAuth.Http.Tests;

/// <summary>
/// Which mechanism <see cref="ScramHttpHandler"/> picks from a server's challenges, and how it reports a server that
/// limits failed logins (429), against a scripted server that records client-first.
/// </summary>
public sealed class ScramMechanismChoiceTests : IDisposable
{
    private static readonly string[] AllMechanisms = ["SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-256"];
    private static readonly Uri Url = new("https://localhost/whoami");

    private readonly TestPki _pki = new();
    private readonly IssuedCertificate _server;

    public ScramMechanismChoiceTests() => _server = _pki.Server();

    public void Dispose()
    {
        _server.Dispose();
        _pki.Dispose();
    }

    public static TheoryData<ChannelBindingPolicy, string> Choices() => new()
    {
        { ChannelBindingPolicy.Preferred, "SCRAM-SHA-256-PLUS" },
        { ChannelBindingPolicy.Required, "SCRAM-SHA-256-PLUS" },
        { ChannelBindingPolicy.Disabled, "SCRAM-SHA-256" },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Picks_sha256_first_because_every_user_has_that_verifier(ChannelBindingPolicy policy, string expected)
    {
        var server = new ScriptedServer(AllMechanisms);
        using var client = Client(server, policy);

        await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal(expected, server.ClientFirstScheme);
    }

    [Fact]
    public async Task Takes_sha512_when_it_is_all_the_server_offers()
    {
        var server = new ScriptedServer(["SCRAM-SHA-512-PLUS", "SCRAM-SHA-512"]);
        using var client = Client(server, ChannelBindingPolicy.Preferred);

        await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal("SCRAM-SHA-512-PLUS", server.ClientFirstScheme);
    }

    [Fact]
    public async Task A_429_is_a_refused_login_with_the_wait_the_server_asked_for()
    {
        var server = new ScriptedServer(AllMechanisms);
        using var client = Client(server, ChannelBindingPolicy.Preferred);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url));

        Assert.Equal(RefusingParty.Server, error.RefusedBy);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    private HttpClient Client(ScriptedServer server, ChannelBindingPolicy policy) =>
        new(new ScramHttpHandler(new ScramClientOptions
        {
            UserName = "alice",
            Password = () => "pencil",
            ChannelBinding = policy,
            ServerCertificate = _ => _server.Certificate,
        })
        {
            InnerHandler = server,
        });

    /// <summary>Challenges with <c>offered</c>, records the scheme of client-first and answers it 429 (Retry-After: 30).</summary>
    private sealed class ScriptedServer(string[] offered) : HttpMessageHandler
    {
        public string? ClientFirstScheme { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.NonValidated.TryGetValues("Authorization", out var values) ? values.First() : null;
            var response = new HttpResponseMessage(authorization is null ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests);
            if (authorization is null)
            {
                foreach (var mechanism in offered)
                {
                    response.Headers.TryAddWithoutValidation("WWW-Authenticate", $"{mechanism} realm=\"test\"");
                }
            }
            else
            {
                Assert.True(HttpAuthParameters.TryParse(authorization, out var scheme, out var parameters));
                Assert.Contains(",n=alice,r=", Encoding.UTF8.GetString(Convert.FromBase64String(parameters["data"])), StringComparison.Ordinal);
                ClientFirstScheme = scheme;
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
            }

            return Task.FromResult(response);
        }
    }
}
