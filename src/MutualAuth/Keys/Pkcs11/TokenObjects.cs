using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>What a token holds, as <c>card list</c> shows it: keys with their protection flags, and certificates.</summary>
/// <param name="Kind">private, public or cert.</param>
/// <param name="Label">CKA_LABEL.</param>
/// <param name="Id">CKA_ID, hex.</param>
/// <param name="Detail">Key type and protection (sensitive, never extractable, generated on the token), or the certificate subject.</param>
internal sealed record TokenObject(string Kind, string Label, string Id, string Detail);

/// <summary>Key generation, certificate writing and listing on a token (Pkcs11Interop); the key never leaves it.</summary>
internal static class TokenObjects
{
    /// <summary>
    /// Generates a key pair on <paramref name="token"/> (logged in): private part token-resident, private, sensitive,
    /// never extractable, sign only; then checks the token reports it so.
    /// </summary>
    /// <exception cref="TokenException">The token refused, or does not report the key as sensitive and never extractable.</exception>
    public static void GenerateKeyPair(Pkcs11Token token, string label, byte[] id, SigningKeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(token);
        var a = Pkcs11Modules.Factories.ObjectAttributeFactory;
        var (mechanism, publicTemplate) = algorithm switch
        {
            SigningKeyAlgorithm.EcdsaP256 or SigningKeyAlgorithm.EcdsaP384 => (CKM.CKM_EC_KEY_PAIR_GEN, new List<IObjectAttribute>
            {
                a.Create(CKA.CKA_EC_PARAMS, NamedCurve(algorithm == SigningKeyAlgorithm.EcdsaP256 ? Curves.P256 : Curves.P384)),
            }),
            SigningKeyAlgorithm.Rsa => (CKM.CKM_RSA_PKCS_KEY_PAIR_GEN, new List<IObjectAttribute>
            {
                a.Create(CKA.CKA_MODULUS_BITS, 3072UL),
                a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), "a card key is P-256, P-384 or RSA."),
        };
        publicTemplate.AddRange([a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_VERIFY, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id)]);
        List<IObjectAttribute> privateTemplate =
        [
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_SENSITIVE, true),
            a.Create(CKA.CKA_EXTRACTABLE, false), a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_DECRYPT, false),
            a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
        ];
        token.Use(session =>
        {
            session.GenerateKeyPair(Pkcs11Modules.Factories.MechanismFactory.Create(mechanism), publicTemplate, privateTemplate, out _, out var privateKey);
            var flags = session.GetAttributeValue(privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_LOCAL]);
            return flags.All(f => f.GetValueAsBool())
                ? 0
                : throw new TokenException(TokenError.Failed, $"token '{token.Label}' does not report the new key as sensitive, never extractable and generated on the token; not enrolled.");
        });
    }

    /// <summary>Stores <paramref name="certificate"/> on the token beside the key with the same label and id.</summary>
    public static void WriteCertificate(Pkcs11Token token, string label, byte[] id, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(certificate);
        var a = Pkcs11Modules.Factories.ObjectAttributeFactory;
        token.Use(session => session.CreateObject(
        [
            a.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), a.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_SUBJECT, certificate.SubjectName.RawData), a.Create(CKA.CKA_ISSUER, certificate.IssuerName.RawData),
            a.Create(CKA.CKA_SERIAL_NUMBER, DerInteger(certificate.SerialNumberBytes.Span)),
            a.Create(CKA.CKA_VALUE, certificate.RawData),
        ]));
    }

    /// <summary>Destroys every object with <paramref name="id"/> (an enrolment that failed half-way leaves nothing behind).</summary>
    public static void Remove(Pkcs11Token token, byte[] id)
    {
        ArgumentNullException.ThrowIfNull(token);
        token.Use(session =>
        {
            foreach (var handle in session.FindAllObjects([Pkcs11Modules.Factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id)]))
            {
                session.DestroyObject(handle);
            }

            return 0;
        });
    }

    /// <summary>Whether any object on the token has <paramref name="label"/>.</summary>
    public static bool Exists(Pkcs11Token token, string label)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Use(session => session.FindAllObjects([Pkcs11Modules.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label)]).Count > 0);
    }

    /// <summary>The keys and certificates on the token (private keys only when logged in).</summary>
    public static IReadOnlyList<TokenObject> List(Pkcs11Token token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Use(session =>
        {
            var found = new List<TokenObject>();
            foreach (var (kind, cko) in new[] { ("private", CKO.CKO_PRIVATE_KEY), ("public", CKO.CKO_PUBLIC_KEY), ("cert", CKO.CKO_CERTIFICATE) })
            {
                foreach (var handle in session.FindAllObjects([Pkcs11Modules.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, cko)]))
                {
                    var values = session.GetAttributeValue(handle, [CKA.CKA_LABEL, CKA.CKA_ID]);
                    found.Add(new TokenObject(kind, values[0].GetValueAsString() ?? "", Convert.ToHexStringLower(values[1].GetValueAsByteArray() ?? []), Detail(session, handle, cko)));
                }
            }

            return (IReadOnlyList<TokenObject>)found;
        });
    }

    private static string Detail(ISession session, IObjectHandle handle, CKO kind)
    {
        if (kind == CKO.CKO_CERTIFICATE)
        {
            var value = session.GetAttributeValue(handle, [CKA.CKA_VALUE])[0].GetValueAsByteArray();
            using var certificate = X509CertificateLoader.LoadCertificate(value);
            return $"{certificate.Subject}, valid until {certificate.NotAfter.ToUniversalTime():u}";
        }

        var type = (CKK)session.GetAttributeValue(handle, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();
        var keyType = type switch { CKK.CKK_EC => "EC", CKK.CKK_RSA => "RSA", _ => type.ToString() };
        if (kind == CKO.CKO_PUBLIC_KEY)
        {
            return keyType;
        }

        var flags = session.GetAttributeValue(handle, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_LOCAL]);
        return $"{keyType}, sensitive={Yes(flags[0])}, extractable={Yes(flags[1])}, never-extractable={Yes(flags[2])}, generated-on-token={Yes(flags[3])}";
    }

    private static string Yes(IObjectAttribute flag) => flag.CannotBeRead ? "?" : flag.GetValueAsBool() ? "yes" : "no";

    private static byte[] NamedCurve(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }

    private static byte[] DerInteger(ReadOnlySpan<byte> bigEndian)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(bigEndian);
        return writer.Encode();
    }
}
