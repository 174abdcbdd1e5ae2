using System.Collections;

namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>
/// Ordered Parameters of an Item or Inner List (RFC 9651 §3.1.2): keys to Bare Items. A repeated key keeps its first
/// position and takes the last value, as the parser does (§4.2.3.2). Equality compares keys, values and order.
/// </summary>
internal sealed class SfParameters : IReadOnlyList<KeyValuePair<string, SfBareItem>>, IEquatable<SfParameters>
{
    private readonly OrderedMembers<SfBareItem> _members;

    /// <summary>Builds parameters from key–value pairs, in order.</summary>
    public SfParameters(IEnumerable<KeyValuePair<string, SfBareItem>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = new OrderedMembers<SfBareItem>(members);
    }

    /// <summary>No parameters.</summary>
    public static SfParameters Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _members.Count;

    /// <inheritdoc />
    public KeyValuePair<string, SfBareItem> this[int index] => _members[index];

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public SfBareItem? this[string key] => _members.Find(key);

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => _members.Find(key) is not null;

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (in place when present, else last).</summary>
    public SfParameters With(string key, SfBareItem value) => new(_members.With(key, value));

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, SfBareItem>> GetEnumerator() => _members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(SfParameters? other) => other is not null && _members.SequenceEqual(other._members);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SfParameters);

    /// <inheritdoc />
    public override int GetHashCode() => _members.GetHashCode();

    /// <summary>The serialised form, e.g. <c>;a=1;b</c> (§4.1.1.2).</summary>
    /// <exception cref="StructuredFieldException">A key or value cannot be serialised.</exception>
    public override string ToString() => StructuredFieldSerializer.SerializeParameters(this);
}
