using System.Text;

namespace MutualAuth.Scram;

/// <summary>
/// The bytes SCRAM hashes for a password, as PostgreSQL computes them: the UTF-8 of its SASLprep form (RFC 4013),
/// or, when SASLprep refuses the password, its raw UTF-8 bytes, so that such passwords still work with PostgreSQL
/// (<c>pg_saslprep</c> in <c>src/common/scram-common.c</c>).
/// </summary>
internal static class ScramPassword
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes to hash; the caller zeroes them.</summary>
    /// <exception cref="ScramException"><see cref="ScramError.UnsupportedCharacters"/>: the password is empty or not valid UTF-16.</exception>
    public static byte[] Bytes(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            throw new ScramException(ScramError.UnsupportedCharacters, "The password must not be empty.");
        }

        try
        {
            return StrictUtf8.GetBytes(SaslPrep.TryPrepare(password, out var prepared, out _) ? prepared : password);
        }
        catch (EncoderFallbackException)
        {
            throw new ScramException(ScramError.UnsupportedCharacters, "The password contains a lone surrogate, which has no UTF-8 form.");
        }
    }
}
