using System.Collections;

namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>An ordered string-keyed map: a repeated key keeps its first position and takes the last value (RFC 9651 §4.2.2).</summary>
internal sealed class OrderedMembers<T> : IReadOnlyList<KeyValuePair<string, T>>
    where T : class
{
    private readonly List<KeyValuePair<string, T>> _items = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public OrderedMembers(IEnumerable<KeyValuePair<string, T>> members)
    {
        foreach (var (key, value) in members)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            if (_index.TryGetValue(key, out var at))
            {
                _items[at] = new(key, value);
            }
            else
            {
                _index[key] = _items.Count;
                _items.Add(new(key, value));
            }
        }
    }

    public int Count => _items.Count;

    public KeyValuePair<string, T> this[int index] => _items[index];

    public T? Find(string key) => _index.TryGetValue(key, out var at) ? _items[at].Value : null;

    public IEnumerable<KeyValuePair<string, T>> With(string key, T value) => _items.Append(new(key, value));

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _items)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}
