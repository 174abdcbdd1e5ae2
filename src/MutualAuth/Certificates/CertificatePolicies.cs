using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>The certificatePolicies extension (RFC 5280 §4.2.1.4): policy identifiers only, no qualifiers.</summary>
internal static class CertificatePolicies
{
    // Bounded: an attacker-made certificate could list any number of policies.
    private const int MaxPolicies = 32;

    /// <summary>A non-critical extension listing <paramref name="policies"/>.</summary>
    public static X509Extension Build(IEnumerable<string> policies)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var policy in policies)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(policy);
                }
            }
        }

        return new X509Extension(Oids.CertificatePolicies, writer.Encode(), critical: false);
    }

    /// <summary>The policy identifiers of <paramref name="certificate"/>; empty when it has none or the extension is malformed.</summary>
    public static IReadOnlyList<string> Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Extensions[Oids.CertificatePolicies] is not { } extension)
        {
            return [];
        }

        try
        {
            var policies = new List<string>();
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData && policies.Count < MaxPolicies)
            {
                policies.Add(sequence.ReadSequence().ReadObjectIdentifier());
            }

            return policies;
        }
        catch (AsnContentException)
        {
            // Fail closed: a policy we cannot read grants nothing.
            return [];
        }
        catch (CryptographicException)
        {
            return [];
        }
    }
}
