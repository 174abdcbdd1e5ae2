using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// The signature parameters of RFC 9421 §2.3: covered components, <c>created</c>, <c>expires</c>, <c>nonce</c>,
/// <c>alg</c>, <c>keyid</c> and <c>tag</c>.
/// </summary>
public sealed class SignatureParameters
{
    private readonly SfInnerList _list;

    private SignatureParameters(SfInnerList list, IReadOnlyList<ComponentIdentifier> components)
    {
        _list = list;
        Components = components;
        Created = Integer("created");
        Expires = Integer("expires");
        Nonce = Text("nonce");
        Algorithm = Text("alg");
        KeyId = Text("keyid");
        Tag = Text("tag");
    }

    /// <summary>The covered components, in order.</summary>
    public IReadOnlyList<ComponentIdentifier> Components { get; }

    /// <summary><c>created</c>: when the signature was made, in Unix seconds, or null.</summary>
    public long? Created { get; }

    /// <summary><c>expires</c>: when the signature stops being valid, in Unix seconds, or null.</summary>
    public long? Expires { get; }

    /// <summary><c>nonce</c>: a value for the verifier's replay check, or null.</summary>
    public string? Nonce { get; }

    /// <summary><c>alg</c>: the algorithm name as written, or null (the key's registration decides; §3.2).</summary>
    public string? Algorithm { get; }

    /// <summary><c>keyid</c>: the key's identifier, or null.</summary>
    public string? KeyId { get; }

    /// <summary><c>tag</c>: the application profile this signature belongs to, or null.</summary>
    public string? Tag { get; }

    /// <summary>Builds parameters; absent values are left out. Written in the order created, expires, nonce, alg, keyid, tag.</summary>
    /// <param name="components">The covered components, in order.</param>
    /// <param name="created">Creation time; whole seconds are kept.</param>
    /// <param name="expires">Expiry time; whole seconds are kept.</param>
    /// <param name="nonce">A nonce (printable ASCII).</param>
    /// <param name="algorithm">The algorithm to name in <c>alg</c>, or null to leave it out.</param>
    /// <param name="keyId">The key identifier (printable ASCII).</param>
    /// <param name="tag">The application tag (printable ASCII).</param>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.InvalidComponentValue"/>: a string is not printable ASCII.</exception>
    public static SignatureParameters Create(
        IEnumerable<ComponentIdentifier> components,
        DateTimeOffset? created = null,
        DateTimeOffset? expires = null,
        string? nonce = null,
        HttpSignatureAlgorithm? algorithm = null,
        string? keyId = null,
        string? tag = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        var list = components.ToList();
        var parameters = new List<KeyValuePair<string, SfBareItem>>();
        if (created is { } c)
        {
            parameters.Add(new("created", new SfInteger(c.ToUnixTimeSeconds())));
        }

        if (expires is { } e)
        {
            parameters.Add(new("expires", new SfInteger(e.ToUnixTimeSeconds())));
        }

        AddText(parameters, "nonce", nonce);
        AddText(parameters, "alg", algorithm is { } a ? HttpSignatureAlgorithms.Name(a) : null);
        AddText(parameters, "keyid", keyId);
        AddText(parameters, "tag", tag);
        return new SignatureParameters(new SfInnerList(list.Select(i => i.ToItem()), new SfParameters(parameters)), list);
    }

    /// <summary>Reads the parameters from a <c>Signature-Input</c> member (§4.1).</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.MalformedSignatureFields"/>: a parameter of the wrong type;
    /// <see cref="MessageSignatureError.InvalidComponentIdentifier"/>: an invalid component identifier.</exception>
    internal static SignatureParameters FromInnerList(SfInnerList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        foreach (var (key, value) in list.Parameters)
        {
            var valid = key switch
            {
                "created" or "expires" => value is SfInteger,
                "nonce" or "alg" or "keyid" or "tag" => value is SfString,
                _ => true,
            };
            if (!valid)
            {
                throw new MessageSignatureException(MessageSignatureError.MalformedSignatureFields, $"The signature parameter '{key}' has the wrong type.");
            }
        }

        return new SignatureParameters(list, [.. list.Items.Select(ComponentIdentifier.FromItem)]);
    }

    /// <summary>Reads the parameters from their serialised form, e.g. <c>("@method");created=1618884473</c>.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.MalformedSignatureFields"/>: not one Inner List.</exception>
    public static SignatureParameters Parse(string text)
    {
        IReadOnlyList<SfMember> members;
        try
        {
            members = StructuredFieldParser.ParseList(text);
        }
        catch (StructuredFieldException e)
        {
            throw new MessageSignatureException(MessageSignatureError.MalformedSignatureFields, "Signature parameters are an Inner List.", e);
        }

        return members is [SfInnerList list]
            ? FromInnerList(list)
            : throw new MessageSignatureException(MessageSignatureError.MalformedSignatureFields, "Signature parameters are one Inner List.");
    }

    /// <summary>As the Inner List of a <c>Signature-Input</c> member.</summary>
    internal SfInnerList ToInnerList() => _list;

    /// <summary>The serialised form: the <c>@signature-params</c> value (§2.3) and the <c>Signature-Input</c> member value.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.InvalidComponentValue"/>: a value cannot be serialised.</exception>
    public override string ToString()
    {
        try
        {
            return StructuredFieldSerializer.SerializeMember(_list);
        }
        catch (StructuredFieldException e)
        {
            throw new MessageSignatureException(MessageSignatureError.InvalidComponentValue, "The signature parameters cannot be serialised.", e);
        }
    }

    private static void AddText(List<KeyValuePair<string, SfBareItem>> parameters, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Any(c => c is < ' ' or > '~'))
        {
            throw new MessageSignatureException(MessageSignatureError.InvalidComponentValue, $"The '{key}' parameter must be printable ASCII.");
        }

        parameters.Add(new(key, new SfString(value)));
    }

    private long? Integer(string key) => (_list.Parameters[key] as SfInteger)?.Value;

    private string? Text(string key) => (_list.Parameters[key] as SfString)?.Value;
}
