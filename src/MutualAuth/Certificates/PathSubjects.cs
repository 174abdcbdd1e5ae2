using System.Collections;

namespace MutualAuth.Certificates;

/// <summary>
/// The subjects of a validated path as text, leaf first, each formatted on first read: a result's
/// <see cref="ChainValidationResult.ChainSubjects"/> is read by operators' tools, not on every handshake.
/// </summary>
/// <param name="path">The path.</param>
internal sealed class PathSubjects(IReadOnlyList<CertificateView> path) : IReadOnlyList<string>
{
    /// <inheritdoc/>
    public int Count => path.Count;

    /// <inheritdoc/>
    public string this[int index] => path[index].SubjectText;

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < path.Count; i++)
        {
            yield return path[i].SubjectText;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
