namespace MutualAuth.Storage;

/// <summary>One token signing key of a rotation period: its JWKS <c>kid</c> and its PKCS#8 PEM sealed by the data folder's box.</summary>
/// <param name="Period">The rotation period's number (whole periods since the Unix epoch); unique.</param>
/// <param name="KeyId">The JWKS <c>kid</c>.</param>
/// <param name="CreatedAt">When a node created it.</param>
/// <param name="SealedPrivateKey">The private key, sealed (AES-256-GCM) before it leaves the node.</param>
internal sealed record TokenSigningKeyRecord(long Period, string KeyId, DateTimeOffset CreatedAt, byte[] SealedPrivateKey);
