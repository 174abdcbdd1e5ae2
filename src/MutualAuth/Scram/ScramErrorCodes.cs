using MutualAuth.Authentication;

namespace MutualAuth.Scram;

/// <summary>The RFC 5802 §7 server error (<c>e=</c>) of each <see cref="ScramError"/>, from <see cref="ScramReasons"/>.</summary>
internal static class ScramErrorCodes
{
    /// <summary>The server-error-value sent and audited for <paramref name="error"/>.</summary>
    public static ReasonCode ToReasonCode(this ScramError error) => error switch
    {
        ScramError.ExtensionsNotSupported => ScramReasons.ExtensionsNotSupported,
        ScramError.InvalidProof => ScramReasons.InvalidProof,
        ScramError.ChannelBindingMismatch => ScramReasons.ChannelBindingsDontMatch,
        ScramError.NonceMismatch => ScramReasons.OtherError,
        ScramError.UnsupportedCharacters => ScramReasons.InvalidUsernameEncoding,
        // RFC 5802 has no closer value for the rest (a malformed message, a message out of turn).
        _ => ScramReasons.InvalidEncoding,
    };
}
