namespace MutualAuth.MessageSignatures;

/// <summary>A signature made by <see cref="MessageSigner"/>: its label, parameters, signature base and bytes, and the field members to send.</summary>
public sealed class MessageSignature
{
    internal MessageSignature(string label, SignatureParameters parameters, string signatureBase, byte[] signature)
    {
        Label = label;
        Parameters = parameters;
        SignatureBase = signatureBase;
        Signature = signature;
    }

    /// <summary>The label (dictionary key) under which the signature is sent.</summary>
    public string Label { get; }

    /// <summary>The signature parameters signed.</summary>
    public SignatureParameters Parameters { get; }

    /// <summary>The signature base that was signed (§2.5), for logs and tests; it holds message data.</summary>
    public string SignatureBase { get; }

    /// <summary>The signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The <c>Signature-Input</c> member, <c>label=(…);…</c>, to add as a field line.</summary>
    public string SignatureInputMember => SignatureFields.FormatSignatureInput(Label, Parameters);

    /// <summary>The <c>Signature</c> member, <c>label=:…:</c>, to add as a field line.</summary>
    public string SignatureMember => SignatureFields.FormatSignature(Label, Signature.Span);

    /// <summary>A copy of <paramref name="message"/> with the <c>Signature-Input</c> and <c>Signature</c> lines added.</summary>
    public HttpMessageComponents AddTo(HttpMessageComponents message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.WithField(SignatureFields.SignatureInput, SignatureInputMember).WithField(SignatureFields.Signature, SignatureMember);
    }
}
