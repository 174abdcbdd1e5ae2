namespace MutualAuth.Authentication;

/// <summary>
/// A stable kebab-case reason for an authentication decision (<c>ok</c>, <c>revoked</c>, <c>replayed-nonce</c>…), as
/// written to logs, the audit and client errors. The values are defined once, in one catalogue per method.
/// </summary>
/// <param name="Value">The kebab-case code.</param>
public readonly record struct ReasonCode(string Value)
{
    /// <summary>The decision was an accept.</summary>
    public static readonly ReasonCode Ok = new("ok");

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
