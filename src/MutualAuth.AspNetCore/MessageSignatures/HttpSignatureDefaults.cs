namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>Names used by mutual HTTP Message Signatures (RFC 9421).</summary>
public static class HttpSignatureDefaults
{
    /// <summary>The ASP.NET Core authentication scheme name.</summary>
    public const string AuthenticationScheme = "HttpSignature";

    /// <summary>The <c>tag</c> of request and response signatures of the mutual protocol.</summary>
    public const string Tag = MutualAuth.MessageSignatures.MutualSignatureNames.Tag;

    /// <summary>The label of the server's response signature.</summary>
    public const string ResponseLabel = MutualAuth.MessageSignatures.MutualSignatureNames.Label;
}
