namespace MutualAuth.MessageSignatures;

/// <summary>Names of the mutual API-key protocol (RFC 9421) that the server and the client must share.</summary>
internal static class MutualSignatureNames
{
    /// <summary>The label of the client's request signature and of the server's response signature.</summary>
    public const string Label = "sig1";

    /// <summary>The <c>tag</c> of request and response signatures of the mutual protocol.</summary>
    public const string Tag = "mutualauth";
}
