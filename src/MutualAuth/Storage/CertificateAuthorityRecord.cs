using MutualAuth.Certificates;

namespace MutualAuth.Storage;

/// <summary>The stored CA: its two certificates in PEM and key type.</summary>
/// <param name="Name">Human name given at <c>ca init</c>.</param>
/// <param name="Algorithm">Key type.</param>
/// <param name="RootCertificatePem">Root certificate.</param>
/// <param name="IntermediateCertificatePem">Intermediate (issuing) certificate.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record CertificateAuthorityRecord(string Name, KeyAlgorithm Algorithm, string RootCertificatePem, string IntermediateCertificatePem, DateTimeOffset CreatedAt);
