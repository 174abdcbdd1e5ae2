namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>
/// A Bare Item of RFC 9651 §3.3: one of <see cref="SfInteger"/>, <see cref="SfDecimal"/>, <see cref="SfString"/>,
/// <see cref="SfToken"/>, <see cref="SfByteSequence"/>, <see cref="SfBoolean"/>, <see cref="SfDate"/>, <see cref="SfDisplayString"/>.
/// Values are not checked when built; <see cref="StructuredFieldSerializer"/> refuses those it cannot write.
/// </summary>
internal abstract record SfBareItem
{
    private protected SfBareItem()
    {
    }

    /// <summary>The Boolean <c>?1</c>, the value of a parameter or dictionary member written without <c>=</c>.</summary>
    public static SfBoolean True { get; } = new(true);

    /// <summary>The serialised form (§4.1.3).</summary>
    /// <exception cref="StructuredFieldException">The value cannot be serialised.</exception>
    public sealed override string ToString() => StructuredFieldSerializer.SerializeBareItem(this);
}

/// <summary>An Integer (§3.3.1): -999,999,999,999,999 to 999,999,999,999,999.</summary>
/// <param name="Value">The integer.</param>
internal sealed record SfInteger(long Value) : SfBareItem
{}

/// <summary>A Decimal (§3.3.2): at most 12 integer digits; serialised rounded to 3 fractional digits (half to even).</summary>
/// <param name="Value">The decimal.</param>
internal sealed record SfDecimal(decimal Value) : SfBareItem
{}

/// <summary>A String (§3.3.3): printable ASCII (0x20–0x7E) only.</summary>
/// <param name="Value">The unescaped text.</param>
internal sealed record SfString(string Value) : SfBareItem
{}

/// <summary>A Token (§3.3.4): starts with ALPHA or <c>*</c>, then tchar, <c>:</c> or <c>/</c>.</summary>
/// <param name="Value">The token text.</param>
internal sealed record SfToken(string Value) : SfBareItem
{}

/// <summary>A Byte Sequence (§3.3.5), written <c>:base64:</c>. Equality compares the bytes.</summary>
/// <param name="Value">The bytes.</param>
internal sealed record SfByteSequence(ReadOnlyMemory<byte> Value) : SfBareItem
{
    /// <inheritdoc />
    public bool Equals(SfByteSequence? other) => other is not null && Value.Span.SequenceEqual(other.Value.Span);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }
}

/// <summary>A Boolean (§3.3.6), written <c>?1</c> or <c>?0</c>.</summary>
/// <param name="Value">The boolean.</param>
internal sealed record SfBoolean(bool Value) : SfBareItem
{}

/// <summary>A Date (§3.3.7), written <c>@</c> and an integer of seconds since 1970-01-01T00:00:00Z.</summary>
/// <param name="UnixSeconds">Seconds since the Unix epoch, in the Integer range.</param>
internal sealed record SfDate(long UnixSeconds) : SfBareItem
{
    /// <summary>The date as a <see cref="DateTimeOffset"/> (UTC).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is outside the years 1 to 9999.</exception>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);
}

/// <summary>A Display String (§3.3.8): Unicode text, written <c>%"…"</c> with its UTF-8 bytes percent-encoded where needed.</summary>
/// <param name="Value">The text.</param>
internal sealed record SfDisplayString(string Value) : SfBareItem
{}
