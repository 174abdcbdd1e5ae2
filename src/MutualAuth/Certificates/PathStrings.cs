using System.Collections;

namespace MutualAuth.Certificates;

/// <summary>
/// One string per certificate of a validated path, leaf first, each computed on first read (subjects as text, SHA-256
/// thumbprints): a result's <see cref="ChainValidationResult.ChainSubjects"/> and
/// <see cref="ChainValidationResult.ChainThumbprints"/> are not read on every handshake.
/// </summary>
/// <param name="path">The path.</param>
/// <param name="value">The string of one certificate; the view remembers it.</param>
internal sealed class PathStrings(IReadOnlyList<CertificateView> path, Func<CertificateView, string> value) : IReadOnlyList<string>
{
    /// <inheritdoc/>
    public int Count => path.Count;

    /// <inheritdoc/>
    public string this[int index] => value(path[index]);

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < path.Count; i++)
        {
            yield return value(path[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
