namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>An Item (RFC 9651 §3.3): a Bare Item with Parameters. Equality compares value and parameters.</summary>
internal sealed class SfItem : SfMember, IEquatable<SfItem>
{
    /// <summary>Builds an item.</summary>
    /// <param name="value">The bare item.</param>
    /// <param name="parameters">Its parameters; none when null.</param>
    public SfItem(SfBareItem value, SfParameters? parameters = null)
        : base(parameters ?? SfParameters.Empty) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The bare item.</summary>
    public SfBareItem Value { get; }

    /// <summary>A copy with parameter <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public SfItem WithParameter(string key, SfBareItem value) => new(Value, Parameters.With(key, value));

    /// <inheritdoc />
    public bool Equals(SfItem? other) => other is not null && Value.Equals(other.Value) && Parameters.Equals(other.Parameters);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SfItem);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Parameters);
}
