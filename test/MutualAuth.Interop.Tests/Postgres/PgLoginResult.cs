using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>What happened when <see cref="PgWireClient"/> logged in.</summary>
/// <param name="OfferedMechanisms">The SASL mechanisms of AuthenticationSASL.</param>
/// <param name="Mechanism">The mechanism the client chose.</param>
/// <param name="ServerVerified">Whether our ScramClient verified the server's <c>v=</c>.</param>
/// <param name="LoggedIn">AuthenticationOk and ReadyForQuery were received.</param>
/// <param name="Error">The server's ErrorResponse, if any.</param>
/// <param name="PresentedCertificate">The certificate the server presented in TLS.</param>
internal sealed record PgLoginResult(IReadOnlyList<string> OfferedMechanisms, string? Mechanism, bool ServerVerified, bool LoggedIn,
    PgError? Error, X509Certificate2? PresentedCertificate)
{
    public override string ToString() =>
        $"offered [{string.Join(", ", OfferedMechanisms)}], used {Mechanism ?? "-"}, server verified {ServerVerified}, logged in {LoggedIn}, error {Error?.ToString() ?? "-"}";
}
