namespace MutualAuth.Keys.Pkcs11;

/// <summary>Why a token key could not be used.</summary>
internal enum TokenError
{
    /// <summary>The PKCS#11 module (or OpenSSL's pkcs11 engine) cannot be loaded.</summary>
    ModuleUnavailable,

    /// <summary>No token with that label (or serial) is present.</summary>
    TokenAbsent,

    /// <summary>No PIN was given and none can be asked for.</summary>
    PinRequired,

    /// <summary>The token refused the PIN (it counts a failed attempt; we never retry).</summary>
    PinIncorrect,

    /// <summary>The token's PIN is locked after too many failed attempts.</summary>
    PinLocked,

    /// <summary>No key (or certificate) object matches the URI.</summary>
    ObjectMissing,

    /// <summary>Several objects match the URI; it must name one.</summary>
    ObjectAmbiguous,

    /// <summary>Any other token or engine failure.</summary>
    Failed,
}
