using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// Signs HTTP messages (RFC 9421 §3.1) without I/O: builds the signature base and signs it; the caller adds the
/// resulting <see cref="MessageSignature"/> members to its message.
/// </summary>
public sealed class MessageSigner
{
    private readonly TimeProvider _time;

    /// <summary>Creates a signer.</summary>
    /// <param name="timeProvider">The clock for <c>created</c> and <c>expires</c>; the system clock when null.</param>
    public MessageSigner(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Parameters for a new signature: <c>created</c> now, <c>expires</c> after <paramref name="lifetime"/>, a random
    /// 128-bit <c>nonce</c>, <c>alg</c> of the key, <c>keyid</c> and <c>tag</c>.
    /// </summary>
    /// <param name="components">The covered components, in order.</param>
    /// <param name="keyId">The key identifier the verifier looks the key up by.</param>
    /// <param name="algorithm">The key's algorithm, to write as <c>alg</c>; left out when null.</param>
    /// <param name="tag">The application tag (e.g. <c>mutualauth</c>), or null.</param>
    /// <param name="lifetime">How long the signature is valid (sets <c>expires</c>), or null for no <c>expires</c>.</param>
    /// <param name="nonce">Whether to add a random nonce.</param>
    public SignatureParameters CreateParameters(
        IEnumerable<ComponentIdentifier> components,
        string keyId,
        HttpSignatureAlgorithm? algorithm = null,
        string? tag = null,
        TimeSpan? lifetime = null,
        bool nonce = true)
    {
        var now = _time.GetUtcNow();
        return SignatureParameters.Create(
            components,
            created: now,
            expires: lifetime is { } l ? now + l : null,
            nonce: nonce ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)) : null,
            algorithm: algorithm,
            keyId: keyId,
            tag: tag);
    }

    /// <summary>Signs <paramref name="message"/> under <paramref name="label"/>.</summary>
    /// <param name="message">The message; a response carries its request for <c>;req</c>.</param>
    /// <param name="label">The signature label, a structured-field key such as <c>sig1</c>.</param>
    /// <param name="parameters">What to cover and the parameters to sign.</param>
    /// <param name="key">The signing key; its registered algorithm is used.</param>
    /// <param name="fieldTypes">Structured field types for <c>;sf</c>; the defaults when null.</param>
    /// <exception cref="ArgumentException">The label is not a structured-field key.</exception>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.AlgorithmMismatch"/>: <c>alg</c> names another algorithm than
    /// the key's; <see cref="MessageSignatureError.KeyCannotSign"/>; or any signature base error (<see cref="SignatureBase.Create"/>).</exception>
    public static MessageSignature Sign(HttpMessageComponents message, string label, SignatureParameters parameters, HttpSignatureKey key, StructuredFieldTypes? fieldTypes = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(key);
        if (!SignatureFields.IsValidLabel(label))
        {
            throw new ArgumentException("A signature label is a structured-field key.", nameof(label));
        }

        if (parameters.Algorithm is { } alg && alg != HttpSignatureAlgorithms.Name(key.Algorithm))
        {
            throw new MessageSignatureException(MessageSignatureError.AlgorithmMismatch, "The 'alg' parameter does not name the key's algorithm.");
        }

        var signatureBase = SignatureBase.Create(message, parameters, fieldTypes);
        return new MessageSignature(label, parameters, signatureBase, key.Sign(Encoding.ASCII.GetBytes(signatureBase)));
    }
}
