using MutualAuth.Authentication;
using MutualAuth.Scram;

namespace MutualAuth.Http;

/// <summary>The SCRAM catalogue code for an error the client found or the server sent.</summary>
internal static class ScramClientReasons
{
    // Not ScramErrorCodes.ToReasonCode: that maps to RFC 5802's wire values, which have no code for what only a client
    // can find (a wrong ServerSignature, a nonce that does not extend ours).
    public static ReasonCode For(ScramError error) => error switch
    {
        ScramError.InvalidEncoding => ScramReasons.InvalidEncoding,
        ScramError.ExtensionsNotSupported => ScramReasons.ExtensionsNotSupported,
        ScramError.NonceMismatch => ScramReasons.NonceMismatch,
        ScramError.IterationCountOutOfRange => ScramReasons.IterationCountOutOfRange,
        ScramError.InvalidProof => ScramReasons.InvalidProof,
        ScramError.InvalidServerSignature => ScramReasons.InvalidServerSignature,
        ScramError.ChannelBindingMismatch => ScramReasons.ChannelBindingsDontMatch,
        ScramError.UnsupportedCharacters => ScramReasons.InvalidUsernameEncoding,
        ScramError.InvalidState => ScramReasons.InvalidState,
        _ => ScramReasons.ServerError,
    };
}
