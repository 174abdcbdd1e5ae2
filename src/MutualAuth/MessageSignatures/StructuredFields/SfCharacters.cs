namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>Character classes of the Structured Field grammar (RFC 9651 §3, RFC 9110 §5.6.2 tchar).</summary>
internal static class SfCharacters
{
    /// <summary>lcalpha / DIGIT / "_" / "-" / "." / "*" (§3.1.2).</summary>
    public static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*';

    /// <summary>tchar (RFC 9110 §5.6.2).</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
