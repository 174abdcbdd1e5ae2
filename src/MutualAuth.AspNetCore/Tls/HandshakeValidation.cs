using System.Security.Cryptography.X509Certificates;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>
/// The decision taken on a client certificate during the TLS handshake, kept in the connection's items
/// so the authentication handler does not validate the same certificate again.
/// </summary>
/// <param name="Certificate">The certificate that was validated.</param>
/// <param name="Result">The decision.</param>
/// <param name="Identity">The identity read from the certificate, when it was accepted (read once per connection, not per request).</param>
internal sealed record HandshakeValidation(X509Certificate2 Certificate, ChainValidationResult Result, MutualIdentity? Identity);
