namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>An Inner List (RFC 9651 §3.1.1): Items in parentheses, with Parameters of its own.</summary>
internal sealed class SfInnerList : SfMember, IEquatable<SfInnerList>
{
    /// <summary>Builds an inner list.</summary>
    /// <param name="items">The items, in order.</param>
    /// <param name="parameters">The list's parameters; none when null.</param>
    public SfInnerList(IEnumerable<SfItem> items, SfParameters? parameters = null)
        : base(parameters ?? SfParameters.Empty)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = [.. items];
    }

    /// <summary>The items.</summary>
    public IReadOnlyList<SfItem> Items { get; }

    /// <inheritdoc />
    public bool Equals(SfInnerList? other) => other is not null && Items.SequenceEqual(other.Items) && Parameters.Equals(other.Parameters);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SfInnerList);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        hash.Add(Parameters);
        return hash.ToHashCode();
    }
}
