namespace MutualAuth.Scram;

/// <summary>Why a SCRAM exchange failed. Server-side codes map to RFC 5802 §7 <c>e=</c> values.</summary>
public enum ScramError
{
    /// <summary>A message is not well-formed (<c>e=invalid-encoding</c>).</summary>
    InvalidEncoding,

    /// <summary>A mandatory extension (<c>m=</c>) is present (<c>e=extensions-not-supported</c>).</summary>
    ExtensionsNotSupported,

    /// <summary>The nonce does not extend the client's, or does not match the combined one.</summary>
    NonceMismatch,

    /// <summary>The iteration count is below 4096 or above the client's ceiling.</summary>
    IterationCountOutOfRange,

    /// <summary>The client proof does not verify (<c>e=invalid-proof</c>).</summary>
    InvalidProof,

    /// <summary>The server signature is missing or wrong: the server does not know the verifier.</summary>
    InvalidServerSignature,

    /// <summary>The server answered <c>e=</c>.</summary>
    ServerError,

    /// <summary>Channel binding is missing, not supported, a downgrade, or does not match (<c>e=channel-bindings-dont-match</c>).</summary>
    ChannelBindingMismatch,

    /// <summary>SASLprep (RFC 4013) refuses a user name, or a password is empty or not valid UTF-16 (<c>e=invalid-username-encoding</c>).</summary>
    UnsupportedCharacters,

    /// <summary>A method was called in the wrong state.</summary>
    InvalidState,
}
