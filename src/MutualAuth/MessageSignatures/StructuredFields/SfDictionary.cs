using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>
/// A Dictionary (RFC 9651 §3.2): ordered keys to Items or Inner Lists. A repeated key keeps its first position and
/// takes the last value (§4.2.2). Equality compares keys, members and order.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "Dictionary is the RFC 9651 type name.")]
internal sealed class SfDictionary : IReadOnlyList<KeyValuePair<string, SfMember>>, IEquatable<SfDictionary>
{
    private readonly OrderedMembers<SfMember> _members;

    /// <summary>Builds a dictionary from key–member pairs, in order.</summary>
    public SfDictionary(IEnumerable<KeyValuePair<string, SfMember>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = new OrderedMembers<SfMember>(members);
    }

    /// <inheritdoc />
    public int Count => _members.Count;

    /// <inheritdoc />
    public KeyValuePair<string, SfMember> this[int index] => _members[index];

    /// <summary>The member under <paramref name="key"/>, or null when absent.</summary>
    public SfMember? this[string key] => _members.Find(key);

    /// <summary>The keys, in order.</summary>
    public IEnumerable<string> Keys => _members.Select(m => m.Key);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, SfMember>> GetEnumerator() => _members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(SfDictionary? other) => other is not null && _members.SequenceEqual(other._members);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SfDictionary);

    /// <inheritdoc />
    public override int GetHashCode() => _members.GetHashCode();

    /// <summary>The serialised field value (§4.1.2); empty for an empty dictionary (the field is then omitted).</summary>
    /// <exception cref="StructuredFieldException">A key or value cannot be serialised.</exception>
    public override string ToString() => StructuredFieldSerializer.SerializeDictionary(this);
}
