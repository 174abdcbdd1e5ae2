namespace MutualAuth.Certificates;

/// <summary>
/// How a failure message names a certificate of a path ("The certificate", "The issuer '…'", "The trust anchor '…'"),
/// formatted only when a message is written, so an accepted path formats no names.
/// </summary>
/// <param name="View">The certificate.</param>
/// <param name="Index">Its position, the leaf at 0.</param>
/// <param name="Count">The path's length.</param>
internal readonly record struct CertificateRole(CertificateView View, int Index, int Count)
{
    /// <summary>Whether this is the end-entity certificate.</summary>
    public bool IsLeaf => Index == 0;

    /// <summary>Whether this is the trust anchor (the last certificate).</summary>
    public bool IsAnchor => Index == Count - 1;

    /// <inheritdoc/>
    public override string ToString() =>
        IsLeaf ? "The certificate" : IsAnchor ? $"The trust anchor '{View.SubjectText}'" : $"The issuer '{View.SubjectText}'";
}
