using MutualAuth.Keys;

namespace MutualAuth.Certificates;

/// <summary>A CA just created: the ready-to-issue authority and the root key the caller must store (or discard to keep the root offline).</summary>
/// <param name="Authority">The issuing authority.</param>
/// <param name="RootKey">The root's private key.</param>
public sealed record NewCertificateAuthority(CertificateAuthority Authority, SoftwareSigningKey RootKey);
