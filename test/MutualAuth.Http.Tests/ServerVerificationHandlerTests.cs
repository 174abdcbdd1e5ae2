using MutualAuth.Authentication;

namespace MutualAuth.Http.Tests;

public sealed class ServerVerificationHandlerTests
{
    [Fact]
    public async Task A_refusal_wrapped_by_the_transport_comes_out_with_every_field_and_the_transport_error_as_cause()
    {
        var refusal = new MutualAuthenticationException("mtls", new ReasonCode("pin-mismatch"), RefusingParty.Client, "pin-mismatch: no pin matched") { RetryAfter = TimeSpan.FromSeconds(5) };
        var wrapped = new HttpRequestException("The SSL connection could not be established.", new IOException("handshake", refusal));
        using var client = new HttpClient(new ServerVerificationHandler { InnerHandler = new Throwing(wrapped) });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri("https://api.example/")));

        Assert.Equal(("mtls", "pin-mismatch", RefusingParty.Client, TimeSpan.FromSeconds(5)), (error.Method, error.Reason.Value, error.RefusedBy, error.RetryAfter));
        Assert.Equal(refusal.Message, error.Message);
        Assert.Same(wrapped, error.InnerException);
    }

    [Fact]
    public async Task Other_transport_errors_pass_unchanged()
    {
        var failure = new HttpRequestException("Connection refused");
        using var client = new HttpClient(new ServerVerificationHandler { InnerHandler = new Throwing(failure) });

        Assert.Same(failure, await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://api.example/"))));
    }

    private sealed class Throwing(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(exception);
    }
}
