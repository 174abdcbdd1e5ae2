namespace MutualAuth.Scram;

/// <summary>
/// How many stored verifiers of one mechanism share an iteration count and a salt length: what a server-first message
/// shows of a verifier. <see cref="ScramServer"/> gives unknown users shapes drawn from these, weighted by
/// <paramref name="Count"/>, so the shapes of known and unknown users follow the same distribution.
/// </summary>
/// <param name="Iterations">The PBKDF2 iteration count.</param>
/// <param name="SaltLength">The salt length in bytes.</param>
/// <param name="Count">How many verifiers have this shape.</param>
public sealed record ScramCredentialShape(int Iterations, int SaltLength, int Count);
