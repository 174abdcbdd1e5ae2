using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.Certificates;

namespace MutualAuth.Limbo;

/// <summary>
/// Runs x509-limbo testcases (schema version 1) through <see cref="ChainValidator"/> and produces
/// x509-limbo's result format.
/// </summary>
public static class LimboHarness
{
    public const string Name = "mutualauth";

    /// <summary>Evaluates every testcase of a limbo document.</summary>
    public static IReadOnlyList<LimboResult> Run(JsonDocument limbo)
    {
        ArgumentNullException.ThrowIfNull(limbo);
        return limbo.RootElement.GetProperty("testcases").EnumerateArray().Select(Evaluate).ToList();
    }

    /// <summary>The result file: <c>{"version":1,"harness":…,"results":[…]}</c>.</summary>
    public static string ToJson(IEnumerable<LimboResult> results)
    {
        var array = new JsonArray();
        foreach (var result in results)
        {
            array.Add(new JsonObject { ["id"] = result.Id, ["actual_result"] = result.ActualResult, ["context"] = result.Context });
        }

        return new JsonObject { ["version"] = 1, ["harness"] = Name, ["results"] = array }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static LimboResult Evaluate(JsonElement testcase)
    {
        var id = testcase.GetProperty("id").GetString()!;
        var expected = testcase.GetProperty("expected_result").GetString()!;
        if (Unsupported(testcase) is { } reason)
        {
            return new LimboResult(id, expected, "SKIPPED", reason);
        }

        try
        {
            var policy = Policy(testcase);
            if (Crls(testcase, out var crlProblem) is { Count: > 0 } crls)
            {
                // Every certificate checked against its issuer's CRL must find a current, valid one (RFC 5280 §6.3).
                policy = policy with { Crls = crls, Revocation = RevocationMode.EndEntity, RequireCrl = true };
            }
            else if (crlProblem is not null)
            {
                return new LimboResult(id, expected, "FAILURE", "crl-invalid: " + crlProblem);
            }

            using var leaf = X509Certificate2.CreateFromPem(testcase.GetProperty("peer_certificate").GetString());
            var at = testcase.TryGetProperty("validation_time", out var time) && time.ValueKind == JsonValueKind.String
                ? time.GetDateTimeOffset()
                : DateTimeOffset.UtcNow;
            var result = ChainValidator.ValidateAt(leaf, [], policy, PeerName(testcase), at);
            if (result.IsValid && PeerNames(testcase).Where(n => !Names(leaf, n)).Select(n => $"{n.Kind} name '{n.Value}'").FirstOrDefault() is { } unnamed)
            {
                return new LimboResult(id, expected, "FAILURE", $"name-mismatch: the certificate does not name the {unnamed}.");
            }

            if (result.IsValid && MissingKeyUsage(testcase, leaf) is { } missing)
            {
                return new LimboResult(id, expected, "FAILURE", $"key-usage: the leaf's key usage does not include {missing}, which the caller requires.");
            }

            if (result.IsValid && UnacceptedSignature(testcase, leaf, policy, result) is { } signature)
            {
                return new LimboResult(id, expected, "FAILURE", "forbidden-algorithm: " + signature);
            }

            return new LimboResult(id, expected, result.IsValid ? "SUCCESS" : "FAILURE", result.Code + ": " + result.Detail);
        }
        catch (CryptographicException e)
        {
            return new LimboResult(id, expected, "FAILURE", "malformed: " + e.Message);
        }
    }

    /// <summary>The fields of the current schema this harness reads or that carry no validation input.</summary>
    private static readonly HashSet<string> KnownFields =
    [
        "id", "description", "features", "importance", "conflicts_with", "expected_result", "peer_certificate_key",
        "validation_kind", "trusted_certs", "untrusted_intermediates", "peer_certificate", "validation_time", "crls",
        "max_chain_depth", "key_usage", "extended_key_usage", "signature_algorithms", "expected_peer_name", "expected_peer_names",
    ];

    private static readonly Dictionary<string, X509KeyUsageFlags> KeyUsages = new(StringComparer.Ordinal)
    {
        ["digitalSignature"] = X509KeyUsageFlags.DigitalSignature,
        ["contentCommitment"] = X509KeyUsageFlags.NonRepudiation,
        ["keyEncipherment"] = X509KeyUsageFlags.KeyEncipherment,
        ["dataEncipherment"] = X509KeyUsageFlags.DataEncipherment,
        ["keyAgreement"] = X509KeyUsageFlags.KeyAgreement,
        ["keyCertSign"] = X509KeyUsageFlags.KeyCertSign,
        ["cRLSign"] = X509KeyUsageFlags.CrlSign,
        ["encipherOnly"] = X509KeyUsageFlags.EncipherOnly,
        ["decipherOnly"] = X509KeyUsageFlags.DecipherOnly,
    };

    private static string? Unsupported(JsonElement testcase)
    {
        // A field we do not know may constrain the result: report the case skipped rather than pass it silently.
        foreach (var field in testcase.EnumerateObject())
        {
            if (!KnownFields.Contains(field.Name) && field.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)
                && !(field.Value.ValueKind == JsonValueKind.Array && field.Value.GetArrayLength() == 0))
            {
                return $"the field '{field.Name}' is not honoured by this harness";
            }
        }

        if (testcase.GetProperty("validation_kind").GetString() is not ("SERVER" or "CLIENT"))
        {
            return $"validation_kind {testcase.GetProperty("validation_kind").GetString()} is not supported";
        }

        if (PeerNames(testcase).Select(n => n.Kind).FirstOrDefault(k => k is not ("DNS" or "IP" or "RFC822")) is { } other)
        {
            return $"peer names of kind {other} are not supported";
        }

        if (Strings(testcase, "key_usage").FirstOrDefault(u => !KeyUsages.ContainsKey(u)) is { } usage)
        {
            return $"key usage '{usage}' is not supported";
        }

        if (Strings(testcase, "signature_algorithms").FirstOrDefault(a => !SignatureAlgorithmOids.ContainsKey(a)) is { } algorithm)
        {
            return $"signature algorithm '{algorithm}' is not known to this harness";
        }

        var ekus = Strings(testcase, "extended_key_usage");
        return ekus.Count > 0 && !ekus.Contains("serverAuth") && !ekus.Contains("clientAuth")
            ? "only serverAuth and clientAuth purposes are supported"
            : null;
    }

    /// <summary>The schema's <c>SignatureAlgorithm</c> names and their OIDs.</summary>
    private static readonly Dictionary<string, string> SignatureAlgorithmOids = new(StringComparer.Ordinal)
    {
        ["RSA_WITH_MD5"] = "1.2.840.113549.1.1.4",
        ["RSA_WITH_SHA1"] = "1.2.840.113549.1.1.5",
        ["RSA_WITH_SHA224"] = "1.2.840.113549.1.1.14",
        ["RSA_WITH_SHA256"] = "1.2.840.113549.1.1.11",
        ["RSA_WITH_SHA384"] = "1.2.840.113549.1.1.12",
        ["RSA_WITH_SHA512"] = "1.2.840.113549.1.1.13",
        ["RSA_WITH_SHA3_224"] = "2.16.840.1.101.3.4.3.13",
        ["RSA_WITH_SHA3_256"] = "2.16.840.1.101.3.4.3.14",
        ["RSA_WITH_SHA3_384"] = "2.16.840.1.101.3.4.3.15",
        ["RSA_WITH_SHA3_512"] = "2.16.840.1.101.3.4.3.16",
        ["RSASSA_PSS"] = "1.2.840.113549.1.1.10",
        ["ECDSA_WITH_SHA1"] = "1.2.840.10045.4.1",
        ["ECDSA_WITH_SHA224"] = "1.2.840.10045.4.3.1",
        ["ECDSA_WITH_SHA256"] = "1.2.840.10045.4.3.2",
        ["ECDSA_WITH_SHA384"] = "1.2.840.10045.4.3.3",
        ["ECDSA_WITH_SHA512"] = "1.2.840.10045.4.3.4",
        ["ECDSA_WITH_SHA3_224"] = "2.16.840.1.101.3.4.3.9",
        ["ECDSA_WITH_SHA3_256"] = "2.16.840.1.101.3.4.3.10",
        ["ECDSA_WITH_SHA3_384"] = "2.16.840.1.101.3.4.3.11",
        ["ECDSA_WITH_SHA3_512"] = "2.16.840.1.101.3.4.3.12",
        ["DSA_WITH_SHA1"] = "1.2.840.10040.4.3",
        ["DSA_WITH_SHA224"] = "2.16.840.1.101.3.4.3.1",
        ["DSA_WITH_SHA256"] = "2.16.840.1.101.3.4.3.2",
        ["DSA_WITH_SHA384"] = "2.16.840.1.101.3.4.3.3",
        ["DSA_WITH_SHA512"] = "2.16.840.1.101.3.4.3.4",
        ["ED25519"] = "1.3.101.112",
        ["ED448"] = "1.3.101.113",
        ["GOSTR3411_94_WITH_3410_2001"] = "1.2.643.2.2.3",
        ["GOSTR3410_2012_WITH_3411_2012_256"] = "1.2.643.7.1.1.3.2",
        ["GOSTR3410_2012_WITH_3411_2012_512"] = "1.2.643.7.1.1.3.3",
    };

    /// <summary>
    /// The caller's acceptable signature algorithms (<c>signature_algorithms</c>, when not empty): every signature the
    /// accepted path relies on (each certificate but the trust anchor, whose self-signature is not used, and the CRLs
    /// consulted) must use one of them.
    /// </summary>
    private static string? UnacceptedSignature(JsonElement testcase, X509Certificate2 leaf, TrustPolicy policy, ChainValidationResult result)
    {
        var accepted = Strings(testcase, "signature_algorithms").Select(a => SignatureAlgorithmOids[a]).ToHashSet(StringComparer.Ordinal);
        if (accepted.Count == 0)
        {
            return null;
        }

        var known = new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        foreach (var certificate in new[] { leaf }.Concat(policy.Intermediates).Concat(policy.TrustAnchors))
        {
            known.TryAdd(certificate.GetCertHashString(HashAlgorithmName.SHA256), certificate);
        }

        var path = result.ChainThumbprints.Select(t => known[t]).ToList();
        if (path.SkipLast(1).FirstOrDefault(c => !accepted.Contains(c.SignatureAlgorithm.Value ?? "")) is { } unaccepted)
        {
            return $"'{unaccepted.Subject}' is signed with {unaccepted.SignatureAlgorithm.FriendlyName ?? unaccepted.SignatureAlgorithm.Value}, which the caller does not accept.";
        }

        var issuer = path.Count > 1 ? path[1] : null;
        return issuer is not null && policy.Crls.Any(c => c.IsSignedBy(issuer) && !accepted.Contains(c.SignatureAlgorithm))
            ? $"the CRL from '{issuer.Subject}' is signed with {policy.Crls.First(c => c.IsSignedBy(issuer)).SignatureAlgorithm}, which the caller does not accept."
            : null;
    }

    private static TrustPolicy Policy(JsonElement testcase)
    {
        var ekus = Strings(testcase, "extended_key_usage");
        var kind = testcase.GetProperty("validation_kind").GetString();
        var purpose = ekus.Contains("clientAuth") && !ekus.Contains("serverAuth") || (ekus.Count == 0 && kind == "CLIENT")
            ? CertificatePurpose.ClientAuthentication
            : CertificatePurpose.ServerAuthentication;
        var policy = new TrustPolicy
        {
            TrustAnchors = Certificates(testcase, "trusted_certs"),
            Intermediates = Certificates(testcase, "untrusted_intermediates"),
            Purpose = purpose,
            Revocation = RevocationMode.None,
            // The webpki:: namespace tests the web-PKI profile (CA/B BRs); rfc5280:: and the others test plain RFC 5280.
            WebPkiProfile = testcase.GetProperty("id").GetString()!.StartsWith("webpki::", StringComparison.Ordinal),
        };
        return testcase.TryGetProperty("max_chain_depth", out var depth) && depth.ValueKind == JsonValueKind.Number
            ? policy with { MaxChainLength = Math.Min(depth.GetInt32(), 64) + 2 }
            : policy;
    }

    /// <summary>The caller's required key usages (<c>key_usage</c>): a leaf with a keyUsage extension must assert each one.</summary>
    private static string? MissingKeyUsage(JsonElement testcase, X509Certificate2 leaf)
    {
        var keyUsage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return keyUsage is null ? null : Strings(testcase, "key_usage").FirstOrDefault(u => (keyUsage.KeyUsages & KeyUsages[u]) == 0);
    }

    private static List<CertificateRevocationList>? Crls(JsonElement testcase, out string? problem)
    {
        problem = null;
        var crls = new List<CertificateRevocationList>();
        foreach (var pem in Strings(testcase, "crls"))
        {
            try
            {
                crls.Add(CertificateRevocationList.Parse(System.Text.Encoding.ASCII.GetBytes(pem)));
            }
            catch (CryptographicException e)
            {
                // A CRL we cannot parse (unknown critical extension, duplicate serial…) is not used, and the chain is not accepted without it.
                problem = "a CRL could not be used: " + e.Message;
                return null;
            }
        }

        return crls;
    }

    /// <summary>The single DNS or IP peer name, which the validator itself checks for server certificates.</summary>
    private static string? PeerName(JsonElement testcase) =>
        testcase.TryGetProperty("expected_peer_name", out var name) && name.ValueKind == JsonValueKind.Object
            && name.GetProperty("kind").GetString() is "DNS" or "IP"
            ? name.GetProperty("value").GetString()
            : null;

    /// <summary>Every expected peer name (<c>expected_peer_name</c> for server validation, and <c>expected_peer_names</c>); the certificate must name each one.</summary>
    private static List<(string Kind, string Value)> PeerNames(JsonElement testcase)
    {
        var names = new List<(string, string)>();
        // The single name is for server validation (the generator sets a DNS default on every case); client cases list theirs in expected_peer_names.
        if (testcase.GetProperty("validation_kind").GetString() == "SERVER"
            && testcase.TryGetProperty("expected_peer_name", out var single) && single.ValueKind == JsonValueKind.Object)
        {
            names.Add((single.GetProperty("kind").GetString() ?? "", single.GetProperty("value").GetString() ?? ""));
        }

        if (testcase.TryGetProperty("expected_peer_names", out var several) && several.ValueKind == JsonValueKind.Array)
        {
            names.AddRange(several.EnumerateArray().Select(n => (n.GetProperty("kind").GetString() ?? "", n.GetProperty("value").GetString() ?? "")));
        }

        return names;
    }

    /// <summary>DNS and IP names as the validator matches them (RFC 6125); a mailbox by exact local part and case-insensitive domain.</summary>
    private static bool Names(X509Certificate2 leaf, (string Kind, string Value) name)
    {
        if (name.Kind != "RFC822")
        {
            return HostNameMatcher.Matches(leaf, name.Value);
        }

        var at = name.Value.LastIndexOf('@');
        return at > 0 && SubjectAlternativeNames.From(leaf).EmailAddresses.Any(e =>
            e.LastIndexOf('@') == at && string.Equals(e[..at], name.Value[..at], StringComparison.Ordinal)
            && string.Equals(e[(at + 1)..], name.Value[(at + 1)..], StringComparison.OrdinalIgnoreCase));
    }

    private static X509Certificate2Collection Certificates(JsonElement testcase, string property)
    {
        var collection = new X509Certificate2Collection();
        foreach (var pem in Strings(testcase, property))
        {
            collection.Add(X509Certificate2.CreateFromPem(pem));
        }

        return collection;
    }

    private static List<string> Strings(JsonElement testcase, string property) =>
        testcase.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : [];
}

/// <summary>One evaluated testcase.</summary>
/// <param name="Id">The testcase id.</param>
/// <param name="ExpectedResult">What the suite expects.</param>
/// <param name="ActualResult"><c>SUCCESS</c>, <c>FAILURE</c> or <c>SKIPPED</c>.</param>
/// <param name="Context">Our reason code and detail, or why it was skipped.</param>
public sealed record LimboResult(string Id, string ExpectedResult, string ActualResult, string Context)
{
    public bool Agrees => ActualResult == ExpectedResult;
}
