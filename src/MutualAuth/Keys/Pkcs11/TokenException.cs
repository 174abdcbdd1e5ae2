namespace MutualAuth.Keys.Pkcs11;

/// <summary>A token key could not be used; <see cref="Error"/> says why. Messages never hold a PIN.</summary>
internal sealed class TokenException : Exception
{
    public TokenException()
    {
    }

    public TokenException(string message)
        : base(message)
    {
    }

    public TokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TokenException(TokenError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Why.</summary>
    public TokenError Error { get; } = TokenError.Failed;
}
