using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>Signs test messages with a fixed HMAC client key (keyid <c>client-1</c>).</summary>
internal static class SignatureTools
{
    public static HttpSignatureKey ClientKey { get; } = HttpSignatureKey.Hmac(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static (HttpMessageComponents Message, MessageSignature Signature) Sign(
        HttpMessageComponents message, string label, IEnumerable<ComponentIdentifier> components, string tag, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        var parameters = new MessageSigner(time).CreateParameters(components, "client-1", HttpSignatureAlgorithm.HmacSha256, tag, lifetime);
        var signature = MessageSigner.Sign(message, label, parameters, ClientKey);
        return (signature.AddTo(message), signature);
    }
}
