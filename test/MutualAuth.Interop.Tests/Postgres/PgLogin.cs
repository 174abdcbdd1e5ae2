using System.Security.Cryptography.X509Certificates;
using MutualAuth.Scram;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>How <see cref="PgWireClient"/> logs in.</summary>
/// <param name="Port">The server's port on 127.0.0.1.</param>
/// <param name="User">The role (sent in the startup packet; PostgreSQL ignores SCRAM's <c>n=</c>).</param>
/// <param name="Password">The password.</param>
/// <param name="ServerCertificate">With TLS: the only certificate accepted; null: no TLS.</param>
/// <param name="ChannelBinding">
/// With TLS: null for SCRAM-SHA-256, or a function from the certificate the server presented to the binding to send
/// with SCRAM-SHA-256-PLUS (normally <see cref="ScramChannelBinding.TlsServerEndPoint"/>).
/// </param>
internal sealed record PgLogin(int Port, string User, string Password, X509Certificate2? ServerCertificate = null,
    Func<X509Certificate2, ScramChannelBinding?>? ChannelBinding = null)
{
    /// <summary>The database in the startup packet.</summary>
    public string Database { get; init; } = "postgres";
}
