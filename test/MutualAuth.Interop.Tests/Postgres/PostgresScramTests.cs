using MutualAuth.Scram;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>Our <see cref="ScramClient"/> logs into a real PostgreSQL 15 server whose role was created with a plain password.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresScramTests(PostgresServer server) : IAsyncLifetime
{
    private const string Role = "alice";
    private const string Password = "pw";

    /// <summary>SQLSTATE invalid_password: PostgreSQL's answer to a wrong proof.</summary>
    private const string InvalidPassword = "28P01";

    /// <summary>SQLSTATE invalid_authorization_specification: PostgreSQL's answer to a channel binding that does not match.</summary>
    private const string InvalidAuthorizationSpecification = "28000";

    public Task InitializeAsync() => server.CreateRole(Role, Password);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Scram_sha_256_without_tls_logs_in_and_verifies_the_server()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, Password));

        Assert.True(result.LoggedIn, result + "\n" + server.Log);
        Assert.True(result.ServerVerified);
        Assert.Equal("SCRAM-SHA-256", result.Mechanism);
        Assert.Equal(["SCRAM-SHA-256"], result.OfferedMechanisms); // no -PLUS without TLS
    }

    [Fact]
    public async Task Scram_sha_256_plus_over_tls_binds_the_server_certificate()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, Password, server.Certificate, ScramChannelBinding.TlsServerEndPoint));

        Assert.True(result.LoggedIn, result + "\n" + server.Log);
        Assert.True(result.ServerVerified);
        Assert.Contains("SCRAM-SHA-256-PLUS", result.OfferedMechanisms);
        Assert.Equal("SCRAM-SHA-256-PLUS", result.Mechanism);
        Assert.Equal(server.Certificate.RawData, result.PresentedCertificate!.RawData);
    }

    [Fact]
    public async Task Scram_sha_256_over_tls_without_binding_also_logs_in()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, Password, server.Certificate));

        Assert.True(result.LoggedIn, result + "\n" + server.Log);
        Assert.Equal("SCRAM-SHA-256", result.Mechanism);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_28P01()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, "wrong"));

        Assert.False(result.LoggedIn);
        Assert.False(result.ServerVerified);
        Assert.Equal(InvalidPassword, result.Error?.SqlState);
    }

    [Fact]
    public async Task A_wrong_password_with_plus_is_refused_with_28P01()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, "wrong", server.Certificate, ScramChannelBinding.TlsServerEndPoint));

        Assert.False(result.LoggedIn);
        Assert.False(result.ServerVerified);
        Assert.Equal("SCRAM-SHA-256-PLUS", result.Mechanism);
        Assert.Equal(InvalidPassword, result.Error?.SqlState);
    }

    [Fact]
    public async Task Plus_with_the_binding_of_another_certificate_is_refused_by_postgres()
    {
        var result = await PgWireClient.LogIn(new PgLogin(server.Port, Role, Password, server.Certificate, _ => ScramChannelBinding.TlsServerEndPoint(server.OtherCertificate)));

        Assert.False(result.LoggedIn);
        Assert.False(result.ServerVerified);
        Assert.Equal("SCRAM-SHA-256-PLUS", result.Mechanism);
        Assert.True(result.Error?.SqlState == InvalidAuthorizationSpecification, result.ToString()); // "SCRAM channel binding check failed"
    }
}
