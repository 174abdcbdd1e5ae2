using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>
/// A private key that stays on a PKCS#11 token (smart card, HSM) and signs there, through OpenSSL's pkcs11 engine: the
/// key object is an <c>ECDsaOpenSsl</c>/<c>RSAOpenSsl</c>, so it works for TLS as well as for the CA, CSRs and RFC 9421.
/// </summary>
internal sealed class TokenSigningKey : SigningKey
{
    private TokenSigningKey(AsymmetricAlgorithm key, Pkcs11Token token, Pkcs11Uri uri)
        : base(key)
    {
        Token = token;
        Uri = uri;
    }

    /// <summary>The token the key is on.</summary>
    public Pkcs11Token Token { get; }

    /// <summary>The key's URI (never with a PIN), for messages and logs.</summary>
    public Pkcs11Uri Uri { get; }

    /// <summary>
    /// Opens the private key <paramref name="uri"/> names: finds its token by label (slot ids change), logs in with
    /// <paramref name="pin"/> unless already logged in, checks that exactly one key object matches, then loads it.
    /// </summary>
    /// <param name="uri">The key; <c>module-path</c> in it wins over <paramref name="module"/>.</param>
    /// <param name="module">The PKCS#11 module, or null for <see cref="Pkcs11Modules.Default"/>.</param>
    /// <param name="pin">The user PIN, UTF-8 (empty: no PIN, refused when the token needs a login).</param>
    /// <exception cref="TokenException">Token absent, PIN missing or incorrect, no such key, engine missing…</exception>
    public static TokenSigningKey Open(Pkcs11Uri uri, string? module, ReadOnlySpan<byte> pin)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Type is not (null or "private"))
        {
            throw new TokenException(TokenError.ObjectMissing, $"{uri} names a {uri.Type} object; a signing key needs type=private (or no type).");
        }

        if (uri.Object is null && uri.Id is null)
        {
            throw new TokenException(TokenError.ObjectAmbiguous, $"{uri} names no key: add object=LABEL or id=….");
        }

        var path = uri.ModulePath ?? module ?? Pkcs11Modules.Default;
        var token = Pkcs11Token.Find(path, uri);
        if (pin.IsEmpty && token.LoginRequired)
        {
            throw new TokenException(TokenError.PinRequired, $"token '{token.Label}' needs a PIN and none was given.");
        }

        token.Login(pin);
        var (label, id) = token.Use(session => FindOne(session, CKO.CKO_PRIVATE_KEY, uri));

        // The engine gets the key by the token's own label and id (exactly the object found above) and no PIN in the URI.
        var exact = new Pkcs11Uri { Token = token.Label, Serial = token.Serial, Object = label, Id = id };
        var key = OpenSslEngine.LoadPrivateKey(path, exact.ForEngine("private"), pin);
        try
        {
            return new TokenSigningKey(key, token, uri);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new TokenException(TokenError.Failed, $"the token key {uri} cannot sign here: {e.Message}", e);
        }
    }

    /// <summary>The certificate stored on the token beside the key (same id, else same label), or null.</summary>
    public X509Certificate2? FindCertificate() => Token.Use(session =>
    {
        var attributes = Pkcs11Modules.Factories.ObjectAttributeFactory;
        var (label, id) = FindOne(session, CKO.CKO_PRIVATE_KEY, Uri);
        var template = new List<IObjectAttribute> { attributes.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE) };
        template.Add(id is not null ? attributes.Create(CKA.CKA_ID, id) : attributes.Create(CKA.CKA_LABEL, label ?? ""));
        var found = session.FindAllObjects(template);
        if (found.Count == 0)
        {
            return null;
        }

        var value = session.GetAttributeValue(found[0], [CKA.CKA_VALUE])[0].GetValueAsByteArray();
        return X509CertificateLoader.LoadCertificate(value);
    });

    /// <summary>The label and id of the one object of <paramref name="kind"/> that <paramref name="uri"/> names.</summary>
    /// <exception cref="TokenException">None, or several.</exception>
    internal static (string? Label, byte[]? Id) FindOne(ISession session, CKO kind, Pkcs11Uri uri)
    {
        var attributes = Pkcs11Modules.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { attributes.Create(CKA.CKA_CLASS, kind) };
        if (uri.Object is not null)
        {
            template.Add(attributes.Create(CKA.CKA_LABEL, uri.Object));
        }

        if (uri.Id is not null)
        {
            template.Add(attributes.Create(CKA.CKA_ID, uri.Id));
        }

        var found = session.FindAllObjects(template);
        if (found.Count != 1)
        {
            var what = kind == CKO.CKO_CERTIFICATE ? "certificate" : "private key";
            throw found.Count == 0
                ? new TokenException(TokenError.ObjectMissing, $"no {what} matching {uri} on token (is the PIN right and the key enrolled? 'mutualauth card list' shows the keys).")
                : new TokenException(TokenError.ObjectAmbiguous, $"{found.Count} {what} objects match {uri}: add id=… to the URI.");
        }

        var values = session.GetAttributeValue(found[0], [CKA.CKA_LABEL, CKA.CKA_ID]);
        var labelValue = values[0].GetValueAsString();
        var idValue = values[1].GetValueAsByteArray();
        return (string.IsNullOrEmpty(labelValue) ? null : labelValue, idValue is { Length: > 0 } ? idValue : null);
    }
}
