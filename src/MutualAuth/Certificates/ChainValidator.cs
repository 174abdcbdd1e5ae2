using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Strict certificate path validation against a <see cref="TrustPolicy"/>. .NET's <see cref="X509Chain"/>
/// builds the path and checks signatures, validity, basic and name constraints (RFC 5280 §6);
/// this class then enforces what it leaves out: explicit trust anchors only, no network fetches,
/// leaf EKU present and matching the purpose, leaf key usage, maximum depth, CRLs held locally,
/// host name matching without CN fallback, SPKI pins and allow-rules.
/// </summary>
public sealed class ChainValidator(TimeProvider timeProvider)
{
    /// <summary>The most certificates a peer may send along with its leaf.</summary>
    public const int MaxPeerCertificates = 16;

    private readonly TimeProvider _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Validates <paramref name="leaf"/> now.</summary>
    /// <param name="leaf">The peer's end-entity certificate, or <see langword="null"/> when it sent none.</param>
    /// <param name="peerCertificates">Further certificates the peer sent (intermediates); may be empty.</param>
    /// <param name="policy">The trust policy.</param>
    /// <param name="expectedHostName">For <see cref="CertificatePurpose.ServerAuthentication"/>, the host name or IP the client connected to.</param>
    /// <returns>The decision with a reason code; never throws for a bad certificate.</returns>
    public ChainValidationResult Validate(X509Certificate2? leaf, IEnumerable<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName = null) =>
        ValidateAt(leaf, peerCertificates, policy, expectedHostName, _time.GetUtcNow());

    /// <summary>Validates <paramref name="leaf"/> as of <paramref name="at"/> (for <c>verify --at</c> and tests).</summary>
    /// <returns>The decision with a reason code; never throws for a bad certificate.</returns>
    /// <param name="leaf">The peer's end-entity certificate.</param>
    /// <param name="peerCertificates">Further certificates the peer sent.</param>
    /// <param name="policy">The trust policy.</param>
    /// <param name="expectedHostName">The expected server name, if any.</param>
    /// <param name="at">The validation time.</param>
    public static ChainValidationResult ValidateAt(X509Certificate2? leaf, IEnumerable<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(peerCertificates);
        ArgumentNullException.ThrowIfNull(policy);
        if (leaf is null)
        {
            return ChainValidationResult.Fail(ChainFailureReason.NoCertificate, "The peer presented no certificate.");
        }

        var extra = peerCertificates.Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData)).ToList();
        if (extra.Count > MaxPeerCertificates)
        {
            return ChainValidationResult.Fail(ChainFailureReason.ChainTooLong, $"The peer sent {extra.Count + 1} certificates; at most {MaxPeerCertificates + 1} are read.");
        }

        var result = BuildAndCheck(leaf, extra, policy, expectedHostName, at, X509ChainTrustMode.CustomRootTrust);
        return result.Reason == ChainFailureReason.UntrustedRoot && policy.UseSystemTrustStore
            ? BuildAndCheck(leaf, extra, policy, expectedHostName, at, X509ChainTrustMode.System)
            : result;
    }

    private static ChainValidationResult BuildAndCheck(X509Certificate2 leaf, List<X509Certificate2> extra, TrustPolicy policy, string? expectedHostName, DateTimeOffset at, X509ChainTrustMode trustMode)
    {
        using var chain = new X509Chain();
        try
        {
            Configure(chain.ChainPolicy, policy, extra, at, trustMode);
            var built = chain.Build(leaf);
            var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
            var subjects = elements.Select(c => c.Subject).ToList();
            var result = built ? null : FromChainStatus(chain, leaf, at, subjects);
            return result
                ?? CheckDepth(elements, policy, subjects)
                ?? CertificateRules.Check(elements, subjects)
                ?? CheckLeaf(leaf, policy, subjects)
                ?? CheckRevocation(elements, policy, at, subjects)
                ?? CheckHostName(leaf, policy, expectedHostName, subjects)
                ?? CheckPins(elements, policy, subjects)
                ?? CheckAllowRules(leaf, policy, subjects)
                ?? new ChainValidationResult { Reason = ChainFailureReason.None, Detail = $"Accepted: chain of {elements.Count} to '{subjects[^1]}'.", ChainSubjects = subjects };
        }
        catch (CryptographicException e)
        {
            return ChainValidationResult.Fail(ChainFailureReason.Malformed, "The certificate could not be processed: " + e.Message);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, leaf))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static void Configure(X509ChainPolicy chainPolicy, TrustPolicy policy, List<X509Certificate2> extra, DateTimeOffset at, X509ChainTrustMode trustMode)
    {
        chainPolicy.TrustMode = trustMode;
        if (trustMode == X509ChainTrustMode.CustomRootTrust)
        {
            chainPolicy.CustomTrustStore.AddRange(policy.TrustAnchors);
        }

        chainPolicy.ExtraStore.AddRange(policy.Intermediates);
        chainPolicy.ExtraStore.AddRange(extra.ToArray());

        chainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chainPolicy.DisableCertificateDownloads = true;
        chainPolicy.VerificationTime = at.UtcDateTime;
        chainPolicy.VerificationTimeIgnored = false;
        chainPolicy.ApplicationPolicy.Add(new Oid(policy.RequiredEku));
    }

    private static ChainValidationResult FromChainStatus(X509Chain chain, X509Certificate2 leaf, DateTimeOffset at, List<string> subjects)
    {
        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            var element = chain.ChainElements[i];
            var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            var who = i == 0 ? "The certificate" : $"The issuer '{element.Certificate.Subject}'";
            if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                var cert = element.Certificate;
                return at < cert.NotBefore.ToUniversalTime()
                    ? ChainValidationResult.Fail(ChainFailureReason.NotYetValid, $"{who} is not valid before {cert.NotBefore.ToUniversalTime():u}.", subjects)
                    : ChainValidationResult.Fail(ChainFailureReason.Expired, $"{who} expired at {cert.NotAfter.ToUniversalTime():u}.", subjects);
            }

            if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
            {
                return ChainValidationResult.Fail(ChainFailureReason.BadSignature, $"{who} has a signature that does not verify.", subjects);
            }

            if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
            {
                return ChainValidationResult.Fail(ChainFailureReason.InvalidBasicConstraints, $"{who} breaks basic constraints (CA flag or path length).", subjects);
            }

            if ((flags & (X509ChainStatusFlags.HasExcludedNameConstraint | X509ChainStatusFlags.HasNotPermittedNameConstraint
                | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint | X509ChainStatusFlags.InvalidNameConstraints)) != 0)
            {
                return ChainValidationResult.Fail(ChainFailureReason.NameConstraintViolation, $"{who} violates an issuer's name constraints.", subjects);
            }
        }

        var all = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
        if ((all & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return ChainValidationResult.Fail(ChainFailureReason.UntrustedRoot, $"'{leaf.Issuer}' does not chain to a configured trust anchor.", subjects);
        }

        if ((all & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return ChainValidationResult.Fail(ChainFailureReason.EkuMissing, "The chain is not valid for the required extended key usage.", subjects);
        }

        var summary = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
        return ChainValidationResult.Fail(ChainFailureReason.InvalidChain, "Path validation failed: " + summary, subjects);
    }

    private static ChainValidationResult? CheckDepth(List<X509Certificate2> elements, TrustPolicy policy, List<string> subjects)
    {
        // Self-issued intermediates (key rollover) do not count towards the depth (RFC 5280 §6.1.4 (l)).
        var selfIssued = elements.Skip(1).SkipLast(1).Count(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData));
        var length = elements.Count - selfIssued;
        return length > policy.MaxChainLength
            ? ChainValidationResult.Fail(ChainFailureReason.ChainTooLong, $"The chain has {length} certificates (not counting self-issued ones); the policy allows {policy.MaxChainLength}.", subjects)
            : null;
    }

    private static ChainValidationResult? CheckLeaf(X509Certificate2 leaf, TrustPolicy policy, List<string> subjects)
    {
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var purpose = policy.Purpose == CertificatePurpose.ServerAuthentication ? "serverAuth" : "clientAuth";
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == policy.RequiredEku))
        {
            return ChainValidationResult.Fail(ChainFailureReason.EkuMissing, $"The certificate's extended key usage does not include {purpose}.", subjects);
        }

        var basic = leaf.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basic is { CertificateAuthority: true })
        {
            return ChainValidationResult.Fail(ChainFailureReason.InvalidBasicConstraints, "A CA certificate cannot be used as a TLS peer certificate.", subjects);
        }

        var keyUsage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is not null && (keyUsage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) == 0)
        {
            return ChainValidationResult.Fail(ChainFailureReason.KeyUsage, "The certificate's key usage does not allow TLS authentication (no digitalSignature).", subjects);
        }

        return null;
    }

    private static ChainValidationResult? CheckRevocation(List<X509Certificate2> elements, TrustPolicy policy, DateTimeOffset at, List<string> subjects)
    {
        if (policy.Revocation == RevocationMode.None)
        {
            return null;
        }

        var checkedCount = policy.Revocation == RevocationMode.EndEntity ? Math.Min(1, elements.Count - 1) : elements.Count - 1;
        for (var i = 0; i < checkedCount; i++)
        {
            var subject = elements[i];
            var issuer = elements[i + 1];
            var crl = policy.Crls
                .Where(c => c.IsSignedBy(issuer))
                .OrderByDescending(c => c.ThisUpdate)
                .FirstOrDefault();
            if (crl is null)
            {
                if (policy.RequireCrl)
                {
                    return ChainValidationResult.Fail(ChainFailureReason.CrlMissing, $"No CRL signed by '{issuer.Subject}' is held, and revocation checking requires one.", subjects);
                }

                continue;
            }

            if (crl.NextUpdate is { } next && next < at && policy.RequireCrl)
            {
                return ChainValidationResult.Fail(ChainFailureReason.CrlStale, $"The CRL from '{issuer.Subject}' was due for renewal at {next:u}.", subjects);
            }

            if (crl.Find(subject.SerialNumber) is { } entry)
            {
                var reason = entry.Reason is { } r ? $" ({r})" : "";
                return ChainValidationResult.Fail(ChainFailureReason.Revoked, $"Certificate {SerialNumbers.Normalize(subject.SerialNumber)} was revoked at {entry.RevokedAt:u}{reason}.", subjects);
            }
        }

        return null;
    }

    private static ChainValidationResult? CheckHostName(X509Certificate2 leaf, TrustPolicy policy, string? expectedHostName, List<string> subjects) =>
        policy.Purpose == CertificatePurpose.ServerAuthentication && expectedHostName is not null && !HostNameMatcher.Matches(leaf, expectedHostName)
            ? ChainValidationResult.Fail(ChainFailureReason.NameMismatch, $"The certificate does not name '{expectedHostName}' (it names {DescribeNames(leaf)}).", subjects)
            : null;

    private static ChainValidationResult? CheckPins(List<X509Certificate2> elements, TrustPolicy policy, List<string> subjects) =>
        policy.Pins.Count > 0 && !elements.Any(c => policy.Pins.Any(p => p.Matches(c)))
            ? ChainValidationResult.Fail(ChainFailureReason.PinMismatch, $"No public key in the chain matches the configured pins (the leaf's is {SpkiPin.FromCertificate(elements[0])}).", subjects)
            : null;

    private static ChainValidationResult? CheckAllowRules(X509Certificate2 leaf, TrustPolicy policy, List<string> subjects) =>
        policy.AllowRules.Allows(leaf)
            ? null
            : ChainValidationResult.Fail(ChainFailureReason.NotAllowed, $"'{leaf.Subject}' ({DescribeNames(leaf)}) matches none of the allow-rules: {policy.AllowRules}.", subjects);

    private static string DescribeNames(X509Certificate2 certificate)
    {
        var names = SubjectAlternativeNames.From(certificate);
        var all = names.DnsNames.Select(n => "DNS:" + n).Concat(names.IpAddresses.Select(n => "IP:" + n)).Concat(names.Uris.Select(n => "URI:" + n)).ToList();
        return all.Count == 0 ? "no SANs" : string.Join(", ", all);
    }
}
