using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>The outcome of a token check: the value when <see cref="Reason"/> is <c>ok</c>, else the refusal reason.</summary>
internal readonly record struct TokenResult<T>(ReasonCode Reason, T? Value)
    where T : class
{
    public bool IsValid => Reason == ReasonCode.Ok && Value is not null;

    public static TokenResult<T> Ok(T value) => new(ReasonCode.Ok, value);

    public static TokenResult<T> Refused(ReasonCode reason) => new(reason, null);

    public static implicit operator TokenResult<T>(ReasonCode reason) => Refused(reason);
}

/// <summary>
/// Records a once-only value (a <c>jti</c>) in a scope until it expires; false when it was already there. Adapters pass
/// the replay store's insert-if-absent operation, so the cores stay free of I/O.
/// </summary>
internal delegate ValueTask<bool> SingleUse(string scope, string value, DateTimeOffset expires, CancellationToken cancellationToken);
