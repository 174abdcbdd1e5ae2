using MutualAuth.MessageSignatures;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>A usable client key: the client it belongs to and its verification key (registered algorithm included).</summary>
/// <param name="Name">The client's name, the authenticated subject.</param>
/// <param name="Key">The key that verifies the client's signatures. The handler disposes it after the request: return a new key object each time.</param>
public sealed record SignatureClient(string Name, HttpSignatureKey Key);
