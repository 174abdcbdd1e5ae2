namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>A member of a List or Dictionary (RFC 9651 §3.1, §3.2): an <see cref="SfItem"/> or an <see cref="SfInnerList"/>.</summary>
internal abstract class SfMember
{
    private protected SfMember(SfParameters parameters) => Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));

    /// <summary>The member's parameters.</summary>
    public SfParameters Parameters { get; }

    /// <summary>The serialised member value, e.g. <c>1;a</c> or <c>("x" "y");p=2</c>.</summary>
    /// <exception cref="StructuredFieldException">A value cannot be serialised.</exception>
    public override string ToString() => StructuredFieldSerializer.SerializeMember(this);
}
