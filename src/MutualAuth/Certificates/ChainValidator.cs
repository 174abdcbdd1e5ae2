using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

// X509Chain builds the path and checks signatures, validity, basic and name constraints (RFC 5280 §6); this class
// enforces what it leaves out.
/// <summary>
/// Validates certificate paths strictly against a <see cref="TrustPolicy"/>: explicit anchors, no network, EKU and key
/// usage, depth, local CRLs, host names without CN fallback, SPKI pins and allow-rules.
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
    public static ChainValidationResult ValidateAt(X509Certificate2? leaf, IEnumerable<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName, DateTimeOffset at) =>
        Run(leaf, peerCertificates, policy, expectedHostName, at, explain: false).Result;

    /// <summary>
    /// Validates like <see cref="ValidateAt"/> but runs every check it can and reports each one, passed,
    /// failed or skipped, for operators (<c>mutualauth verify</c>). The decision is the same.
    /// </summary>
    /// <param name="leaf">The end-entity certificate.</param>
    /// <param name="peerCertificates">Further certificates the peer sent.</param>
    /// <param name="policy">The trust policy.</param>
    /// <param name="expectedHostName">The expected server name, if any.</param>
    /// <param name="at">The validation time.</param>
    internal static ChainValidationReport ExplainAt(X509Certificate2? leaf, IEnumerable<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName, DateTimeOffset at) =>
        Run(leaf, peerCertificates, policy, expectedHostName, at, explain: true);

    private static ChainValidationReport Run(X509Certificate2? leaf, IEnumerable<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName, DateTimeOffset at, bool explain)
    {
        ArgumentNullException.ThrowIfNull(peerCertificates);
        ArgumentNullException.ThrowIfNull(policy);
        if (leaf is null)
        {
            return ChainValidationReport.Single("certificate presented", ChainValidationResult.Fail(ChainFailureReason.NoCertificate, "The peer presented no certificate."));
        }

        var extra = peerCertificates.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToList();
        if (extra.Count > MaxPeerCertificates)
        {
            return ChainValidationReport.Single("certificates sent", ChainValidationResult.Fail(ChainFailureReason.ChainTooLong, $"The peer sent {extra.Count + 1} certificates; at most {MaxPeerCertificates + 1} are read."));
        }

        var report = BuildAndCheck(leaf, extra, policy, expectedHostName, at, X509ChainTrustMode.CustomRootTrust, explain);
        if (!report.Result.IsValid && report.Result.Reason is not (ChainFailureReason.Malformed or ChainFailureReason.NoCertificate))
        {
            report = OtherPaths(leaf, extra, policy, expectedHostName, at, explain, report);
        }

        return report.Result.Reason == ChainFailureReason.UntrustedRoot && policy.UseSystemTrustStore
            ? BuildAndCheck(leaf, extra, policy, expectedHostName, at, X509ChainTrustMode.System, explain)
            : report;
    }

    /// <summary>
    /// When the path <see cref="X509Chain"/> chose fails, tries the other candidate paths (<see cref="PathBuilder"/>),
    /// each restricted to its own certificates, and returns the first that passes, else the first failure (preferring one from a path that reached an anchor).
    /// </summary>
    private static ChainValidationReport OtherPaths(X509Certificate2 leaf, List<X509Certificate2> extra, TrustPolicy policy, string? expectedHostName, DateTimeOffset at, bool explain, ChainValidationReport first)
    {
        List<X509Certificate2> intermediates = [.. policy.Intermediates, .. extra];
        var tried = string.Join(",", first.Result.ChainThumbprints);
        foreach (var (path, anchor) in PathBuilder.Candidates(leaf, intermediates, [.. policy.TrustAnchors], Math.Max(policy.MaxChainLength, 2) + 2))
        {
            if (string.Join(",", [leaf.GetCertHashString(HashAlgorithmName.SHA256), .. path.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)), anchor.GetCertHashString(HashAlgorithmName.SHA256)]) == tried)
            {
                continue;
            }

            var only = policy with { TrustAnchors = [anchor], Intermediates = [] };
            var report = BuildAndCheck(leaf, path, only, expectedHostName, at, X509ChainTrustMode.CustomRootTrust, explain);
            if (report.Result.IsValid)
            {
                return report;
            }

            // A path that reaches an anchor explains a refusal better than one that does not.
            if (first.Result.Reason == ChainFailureReason.UntrustedRoot && report.Result.Reason != ChainFailureReason.UntrustedRoot)
            {
                first = report;
            }
        }

        return first;
    }

    private static ChainValidationReport BuildAndCheck(X509Certificate2 leaf, List<X509Certificate2> extra, TrustPolicy policy, string? expectedHostName, DateTimeOffset at, X509ChainTrustMode trustMode, bool explain)
    {
        using var chain = new X509Chain();
        try
        {
            Configure(chain.ChainPolicy, policy, extra, at, trustMode);
            var built = chain.Build(leaf) || ValidityWindow.FailedOnlyAtTheNotAfterBoundary(chain, chain.ChainPolicy.VerificationTime);
            var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
            // A path X509Chain accepted is decoded once for every check; a refused one only names its subjects.
            var path = built ? Views(elements, leaf, extra, policy) : null;
            IReadOnlyList<string> subjects = path is null ? [.. elements.Select(c => c.Subject)] : new PathStrings(path, v => v.SubjectText);
            var context = new CheckContext(leaf, elements, policy, expectedHostName, at, subjects, path);
            var steps = new List<ValidationStep>();
            var pathFailure = built ? null : FromChainStatus(chain, leaf, at, subjects);
            steps.Add(ValidationStep.From("path to a trust anchor", pathFailure, explain ? $"{elements.Count} certificates, ending at trust anchor '{subjects[^1]}'" : ""));
            foreach (var check in Checks)
            {
                if (!explain && steps[^1].Outcome == ValidationOutcome.Failed)
                {
                    break;
                }

                // The sentences for passed and skipped checks are written only when someone reads them.
                steps.Add(check.NeedsPath && pathFailure is not null
                    ? new ValidationStep(check.Name, ValidationOutcome.Skipped, "needs a valid path", ChainFailureReason.None)
                    : check.Skip(context) is { } skipped
                        ? new ValidationStep(check.Name, ValidationOutcome.Skipped, skipped, ChainFailureReason.None)
                        : ValidationStep.From(check.Name, check.Run(context), explain ? check.Passed(context) : ""));
            }

            var failure = steps.Find(s => s.Outcome == ValidationOutcome.Failed);
            var result = failure is null
                ? new ChainValidationResult { Reason = ChainFailureReason.None, Detail = $"Accepted: chain of {elements.Count} to '{subjects[^1]}'.", ChainSubjects = subjects }
                : ChainValidationResult.Fail(failure.Reason, failure.Detail, subjects);
            IReadOnlyList<string> thumbprints = path is null
                ? [.. elements.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256))]
                : new PathStrings(path, v => v.Sha256Thumbprint);
            return new ChainValidationReport(result with { ChainThumbprints = thumbprints }, steps);
        }
        catch (CryptographicException e)
        {
            return ChainValidationReport.Single("certificate parsed", ChainValidationResult.Fail(ChainFailureReason.Malformed, "The certificate could not be processed: " + e.Message));
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

    /// <summary>
    /// The path's certificates, decoded: the leaf and the peer's intermediates from the caller's instances, trust
    /// anchors and configured intermediates from the policy's instances (decoded once per instance), others from the chain's.
    /// </summary>
    private static List<CertificateView> Views(List<X509Certificate2> elements, X509Certificate2 leaf, List<X509Certificate2> extra, TrustPolicy policy)
    {
        var views = new List<CertificateView>(elements.Count) { CertificateView.Of(leaf) };
        for (var i = 1; i < elements.Count; i++)
        {
            var element = elements[i];
            // X509Chain's elements are new instances over the native certificates it was given: the handle finds the
            // instance a certificate came from without reading its DER.
            var handle = element.Handle;
            views.Add(Find(policy.TrustAnchors, c => c.Handle == handle) is { } anchor ? CertificateView.Cached(anchor)
                : Find(policy.Intermediates, c => c.Handle == handle) is { } known ? CertificateView.Cached(known)
                : extra.Find(c => c.Handle == handle) is { } sent ? CertificateView.Of(sent)
                : Find(policy.TrustAnchors, c => SameDer(c, element)) is { } sameAnchor ? CertificateView.Cached(sameAnchor)
                : Find(policy.Intermediates, c => SameDer(c, element)) is { } sameKnown ? CertificateView.Cached(sameKnown)
                : CertificateView.Of(element));
        }

        return views;
    }

    private static X509Certificate2? Find(X509Certificate2Collection certificates, Func<X509Certificate2, bool> match)
    {
        foreach (var certificate in certificates)
        {
            if (match(certificate))
            {
                return certificate;
            }
        }

        return null;
    }

    private static bool SameDer(X509Certificate2 a, X509Certificate2 b) => a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);

    /// <summary>The checks after path building, in order. A skip reason, when not null, means the check does not apply.</summary>
    private static readonly CheckDefinition[] Checks =
    [
        new("chain length", NeedsPath: true, c => CheckDepth(c.Path, c.Policy, c.Subjects), _ => null,
            c => $"at most {c.Policy.MaxChainLength} certificates"),
        new("certificate rules", NeedsPath: true, c => CertificateRules.Check(c.Path, c.Subjects, c.Policy.WebPkiProfile), _ => null,
            _ => "serials, algorithms, key identifiers, basic constraints and extensions are as RFC 5280 requires"),
        new("purpose", NeedsPath: false, c => CheckLeaf(c.LeafView, c.Policy, c.Subjects), _ => null,
            c => $"extended key usage includes {(c.Policy.Purpose == CertificatePurpose.ServerAuthentication ? "serverAuth" : "clientAuth")}; not a CA; key usage allows signing"),
        new("revocation", NeedsPath: true, c => CheckRevocation(c.Path, c.Policy, c.At, c.Subjects),
            c => c.Policy.Revocation == RevocationMode.None ? "revocation checking is off" : null,
            c => c.Policy.Crls.Count == 0 ? "no CRL held, and none is required" : "not listed on the issuer's current CRL"),
        new("host name", NeedsPath: false, c => CheckHostName(c.Leaf, c.Policy, c.Host, c.Subjects),
            c => c.Policy.Purpose != CertificatePurpose.ServerAuthentication || c.Host is null ? "no host name to check" : null,
            c => $"the certificate names '{c.Host}'"),
        new("SPKI pins", NeedsPath: true, c => CheckPins(c.Elements, c.Policy, c.Subjects),
            c => c.Policy.Pins.Count == 0 ? "no pins configured" : null,
            _ => "a public key in the chain matches a configured pin"),
        new("allow-rules", NeedsPath: false, c => CheckAllowRules(c.Leaf, c.Policy, c.Subjects), _ => null,
            c => c.Policy.AllowRules.IsEmpty ? "no allow-rules: every valid certificate is allowed" : $"matches {c.Policy.AllowRules}"),
    ];

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
        // Certificate times have whole seconds and notAfter is inclusive (RFC 5280 §4.1.2.5): any instant within
        // the notAfter second is still valid, so the comparison is made at second precision.
        chainPolicy.VerificationTime = new DateTime(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        chainPolicy.VerificationTimeIgnored = false;
        chainPolicy.ApplicationPolicy.Add(new Oid(policy.RequiredEku));
    }

    private static ChainValidationResult FromChainStatus(X509Chain chain, X509Certificate2 leaf, DateTimeOffset at, IReadOnlyList<string> subjects)
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

            if ((flags & X509ChainStatusFlags.HasNotSupportedCriticalExtension) != 0)
            {
                return ChainValidationResult.Fail(ChainFailureReason.InvalidExtension, $"{who} has a critical extension this validator does not understand.", subjects);
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

            // OpenSSL treats a certificate whose keyUsage asserts nothing as invalid (RFC 5280 §4.2.1.3) and then finds
            // no issuer for it, so the path reads as untrusted: name the certificate's own fault instead.
            if (element.Certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { KeyUsages: X509KeyUsageFlags.None })
            {
                return ChainValidationResult.Fail(ChainFailureReason.InvalidExtension, $"{who} has a keyUsage extension that asserts no usage (RFC 5280 §4.2.1.3).", subjects);
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

    private static ChainValidationResult? CheckDepth(List<CertificateView> path, TrustPolicy policy, IReadOnlyList<string> subjects)
    {
        // Self-issued intermediates (key rollover) do not count towards the depth (RFC 5280 §6.1.4 (l)).
        var length = path.Count;
        for (var i = 1; i < path.Count - 1; i++)
        {
            length -= path[i].IsSelfIssued ? 1 : 0;
        }

        return length > policy.MaxChainLength
            ? ChainValidationResult.Fail(ChainFailureReason.ChainTooLong, $"The chain has {length} certificates (not counting self-issued ones); the policy allows {policy.MaxChainLength}.", subjects)
            : null;
    }

    private static ChainValidationResult? CheckLeaf(CertificateView leaf, TrustPolicy policy, IReadOnlyList<string> subjects)
    {
        if (leaf.ExtendedKeyUsages?.Contains(policy.RequiredEku) != true)
        {
            var purpose = policy.Purpose == CertificatePurpose.ServerAuthentication ? "serverAuth" : "clientAuth";
            return ChainValidationResult.Fail(ChainFailureReason.EkuMissing, $"The certificate's extended key usage does not include {purpose}.", subjects);
        }

        var basic = leaf.BasicConstraints;
        if (basic is { CertificateAuthority: true })
        {
            return ChainValidationResult.Fail(ChainFailureReason.InvalidBasicConstraints, "A CA certificate cannot be used as a TLS peer certificate.", subjects);
        }

        if ((leaf.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) == X509KeyUsageFlags.None)
        {
            return ChainValidationResult.Fail(ChainFailureReason.KeyUsage, "The certificate's key usage does not allow TLS authentication (no digitalSignature).", subjects);
        }

        if (policy.WebPkiProfile && policy.Purpose == CertificatePurpose.ServerAuthentication && !NameRules.CommonNameIsASan(leaf.Certificate, out var commonName))
        {
            return ChainValidationResult.Fail(ChainFailureReason.InvalidName, $"The subject CN '{commonName}' is not a character-for-character copy of one of the certificate's SANs (web PKI, CA/B BR 7.1.4.3).", subjects);
        }

        return null;
    }

    private static ChainValidationResult? CheckRevocation(List<CertificateView> path, TrustPolicy policy, DateTimeOffset at, IReadOnlyList<string> subjects)
    {
        if (policy.Revocation == RevocationMode.None)
        {
            return null;
        }

        var checkedCount = policy.Revocation == RevocationMode.EndEntity ? Math.Min(1, path.Count - 1) : path.Count - 1;
        for (var i = 0; i < checkedCount; i++)
        {
            var subject = path[i];
            var issuer = path[i + 1];
            // The newest CRL signed by the issuer that covers the certificate: a partitioned CRL decides only for the
            // certificates its issuingDistributionPoint covers (RFC 5280 §6.3.3).
            CertificateRevocationList? firstSigned = null, crl = null;
            foreach (var candidate in policy.Crls)
            {
                if (!candidate.IsSignedBy(issuer))
                {
                    continue;
                }

                firstSigned ??= candidate;
                if ((crl is null || candidate.ThisUpdate > crl.ThisUpdate) && CrlChecks.Excludes(candidate, subject.Certificate) is null)
                {
                    crl = candidate;
                }
            }

            if (crl is null)
            {
                if (policy.RequireCrl)
                {
                    return ChainValidationResult.Fail(ChainFailureReason.CrlMissing, firstSigned is null
                        ? $"No CRL signed by '{issuer.SubjectText}' is held, and revocation checking requires one."
                        : $"No CRL signed by '{issuer.SubjectText}' covers '{subject.SubjectText}': the one held {CrlChecks.Excludes(firstSigned, subject.Certificate)}; revocation checking requires one.", subjects);
                }

                continue;
            }

            if (CrlChecks.Unusable(crl, at) is { } problem)
            {
                return ChainValidationResult.Fail(ChainFailureReason.CrlInvalid, $"The CRL from '{issuer.SubjectText}' {problem}.", subjects);
            }

            if (crl.NextUpdate is { } next && next < at && policy.RequireCrl)
            {
                return ChainValidationResult.Fail(ChainFailureReason.CrlStale, $"The CRL from '{issuer.SubjectText}' was due for renewal at {next:u}.", subjects);
            }

            var serial = Convert.ToHexString(subject.SerialNumber.Span);
            if (crl.Find(serial) is { } entry)
            {
                var reason = entry.Reason is { } r ? $" ({r})" : "";
                return ChainValidationResult.Fail(ChainFailureReason.Revoked, $"Certificate {SerialNumbers.Normalize(serial)} was revoked at {entry.RevokedAt:u}{reason}.", subjects);
            }
        }

        return null;
    }

    private static ChainValidationResult? CheckHostName(X509Certificate2 leaf, TrustPolicy policy, string? expectedHostName, IReadOnlyList<string> subjects) =>
        policy.Purpose == CertificatePurpose.ServerAuthentication && expectedHostName is not null && !HostNameMatcher.Matches(leaf, expectedHostName)
            ? ChainValidationResult.Fail(ChainFailureReason.NameMismatch, $"The certificate does not name '{expectedHostName}' (it names {DescribeNames(leaf)}).", subjects)
            : null;

    private static ChainValidationResult? CheckPins(List<X509Certificate2> elements, TrustPolicy policy, IReadOnlyList<string> subjects) =>
        policy.Pins.Count > 0 && !elements.Any(c => policy.Pins.Any(p => p.Matches(c)))
            ? ChainValidationResult.Fail(ChainFailureReason.PinMismatch, $"No public key in the chain matches the configured pins (the leaf's is {SpkiPin.FromCertificate(elements[0])}).", subjects)
            : null;

    private static ChainValidationResult? CheckAllowRules(X509Certificate2 leaf, TrustPolicy policy, IReadOnlyList<string> subjects) =>
        policy.AllowRules.Allows(leaf)
            ? null
            : ChainValidationResult.Fail(ChainFailureReason.NotAllowed, $"'{leaf.Subject}' ({DescribeNames(leaf)}) matches none of the allow-rules: {policy.AllowRules}.", subjects);

    private static string DescribeNames(X509Certificate2 certificate)
    {
        var all = SubjectAlternativeNames.From(certificate).ToTypedStrings();
        return all.Count == 0 ? "no SANs" : string.Join(", ", all);
    }

    private sealed record CheckContext(X509Certificate2 Leaf, List<X509Certificate2> Elements, TrustPolicy Policy, string? Host, DateTimeOffset At, IReadOnlyList<string> Subjects, List<CertificateView>? DecodedPath)
    {
        private CertificateView? _leafView;

        /// <summary>The decoded path; only checks that need a valid path read it.</summary>
        public List<CertificateView> Path => DecodedPath ?? throw new InvalidOperationException("The path was not built.");

        /// <summary>The decoded leaf (also when the path failed, for the report's purpose check).</summary>
        public CertificateView LeafView => _leafView ??= DecodedPath?[0] ?? CertificateView.Of(Leaf);
    }

    private sealed record CheckDefinition(string Name, bool NeedsPath, Func<CheckContext, ChainValidationResult?> Run, Func<CheckContext, string?> Skip, Func<CheckContext, string> Passed);
}
