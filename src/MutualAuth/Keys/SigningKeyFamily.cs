namespace MutualAuth.Keys;

/// <summary>Which signature primitive a key and a <see cref="SignatureScheme"/> use.</summary>
internal enum SigningKeyFamily
{
    Ecdsa,
    Rsa,
    Ed25519,
}
