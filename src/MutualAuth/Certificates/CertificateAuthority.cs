using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Certificates;

/// <summary>
/// A two-level CA: a self-signed root (the trust anchor peers pin) and an intermediate that signs
/// leaf certificates and CRLs. The root key is only needed to create the intermediate.
/// </summary>
/// <remarks>
/// Profiles decide extensions (RFC 5280 §4.2): basicConstraints and keyUsage are critical, leaves carry
/// exactly one EKU, SKI/AKI link the chain, and a leaf never outlives its issuer.
/// </remarks>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How far NotBefore is backdated so that peers with slightly slow clocks accept new certificates.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    private readonly SigningKey _issuingKey;
    private readonly X509Certificate2 _intermediate;
    private readonly Lazy<X509Certificate2> _intermediateWithKey;
    private readonly TimeProvider _time;

    /// <summary>Loads a CA from its certificates and the intermediate's private key.</summary>
    /// <param name="root">The root certificate (public part).</param>
    /// <param name="intermediate">The intermediate certificate (public part).</param>
    /// <param name="intermediateKey">The intermediate's private key (in memory or in a token); owned by the CA from now on.</param>
    /// <param name="timeProvider">Clock used for default validity and CRL dates.</param>
    /// <exception cref="ArgumentException">The key does not belong to the intermediate certificate, or is not ECDSA P-256/P-384 or RSA.</exception>
    public CertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate, SigningKey intermediateKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(intermediate);
        ArgumentNullException.ThrowIfNull(intermediateKey);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Algorithm = AlgorithmOf(intermediateKey);

        // Compared by public key, not by attaching the key: a token key must sign without ever leaving the token.
        if (!intermediate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(intermediateKey.ExportSubjectPublicKeyInfo()))
        {
            throw new ArgumentException("The intermediate key does not match the intermediate certificate.", nameof(intermediateKey));
        }

        Root = root;
        _issuingKey = intermediateKey;
        _intermediate = intermediate;
        _intermediateWithKey = new(() => intermediateKey.CopyWithPrivateKey(intermediate));
    }

    /// <summary>The trust anchor.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing CA with its private key attached, on first use (the CA itself signs through its <see cref="SigningKey"/>).</summary>
    public X509Certificate2 Intermediate => _intermediateWithKey.Value;

    /// <summary>The key type of the issuing CA; new leaf keys use the same type.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>
    /// Creates a new root and intermediate. The caller stores both certificates and keys
    /// (see <see cref="NewCertificateAuthority"/>).
    /// </summary>
    /// <param name="name">Human name used in subjects: <c>CN={name} Root CA</c> and <c>CN={name} Intermediate CA</c>.</param>
    /// <param name="algorithm">Key type of both CA keys.</param>
    /// <param name="timeProvider">Clock for validity.</param>
    /// <param name="constraints">Name constraints put on the intermediate (critical), or <see langword="null"/>.</param>
    public static NewCertificateAuthority Create(string name, KeyAlgorithm algorithm, TimeProvider timeProvider, NameConstraints? constraints = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var notBefore = now - ClockSkewAllowance;
        var rootKey = SoftwareSigningKey.Generate(algorithm);
        var intermediateKey = SoftwareSigningKey.Generate(algorithm);
        try
        {
            return new NewCertificateAuthority(Create(name, rootKey, intermediateKey, timeProvider, constraints), rootKey);
        }
        catch
        {
            rootKey.Dispose();
            intermediateKey.Dispose();
            throw;
        }
    }

    /// <summary>Creates a new root and intermediate over keys the caller holds (in memory or in a token).</summary>
    /// <param name="name">Human name used in subjects, as in <see cref="Create(string, KeyAlgorithm, TimeProvider, NameConstraints?)"/>.</param>
    /// <param name="rootKey">Signs the root and the intermediate; stays the caller's.</param>
    /// <param name="intermediateKey">The issuing key; owned by the returned CA.</param>
    /// <param name="timeProvider">Clock for validity.</param>
    /// <param name="constraints">Name constraints put on the intermediate (critical), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A key that is not ECDSA P-256/P-384 or RSA.</exception>
    public static CertificateAuthority Create(string name, SigningKey rootKey, SigningKey intermediateKey, TimeProvider timeProvider, NameConstraints? constraints = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentNullException.ThrowIfNull(intermediateKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ = AlgorithmOf(rootKey);
        var notBefore = timeProvider.GetUtcNow() - ClockSkewAllowance;

        // Signed through the generator rather than CreateSelfSigned/Create(issuer): those attach the private key to a
        // certificate, which a token key only allows when it is an OpenSSL key.
        var rootRequest = rootKey.CreateCertificateRequest(DistinguishedName(name + " Root CA", null));
        AddExtensions(rootRequest, CertificateProfile.Root, null);
        var root = rootRequest.Create(rootRequest.SubjectName, rootKey.CreateX509SignatureGenerator(), notBefore, notBefore + CertificateProfile.Root.DefaultLifetime, SerialNumbers.Create());

        var intermediateRequest = intermediateKey.CreateCertificateRequest(DistinguishedName(name + " Intermediate CA", null));
        AddExtensions(intermediateRequest, CertificateProfile.Intermediate, root);
        if (constraints is { IsEmpty: false })
        {
            intermediateRequest.CertificateExtensions.Add(constraints.ToExtension());
        }

        var intermediateNotAfter = Min(notBefore + CertificateProfile.Intermediate.DefaultLifetime, root.NotAfter);
        var intermediate = intermediateRequest.Create(root.SubjectName, rootKey.CreateX509SignatureGenerator(), notBefore, intermediateNotAfter, SerialNumbers.Create());
        return new CertificateAuthority(root, intermediate, intermediateKey, timeProvider);
    }

    /// <summary>Issues a certificate for <paramref name="request"/> with a fresh key of the CA's key type.</summary>
    /// <exception cref="ArgumentException">The request breaks a profile rule (no SAN on a server, bad validity).</exception>
    public IssuedCertificate Issue(LeafRequest request) => Issue(request, SoftwareSigningKey.Generate(Algorithm));

    /// <summary>Issues a certificate for <paramref name="request"/> over the public half of <paramref name="subjectKey"/>.</summary>
    /// <param name="request">Names, profile and validity.</param>
    /// <param name="subjectKey">The subject's key; the returned <see cref="IssuedCertificate"/> owns it. A key in a token is
    /// certified through <see cref="Sign"/> with its public key instead.</param>
    /// <exception cref="ArgumentException">The request breaks a profile rule (no SAN on a server, bad validity).</exception>
    public IssuedCertificate Issue(LeafRequest request, SoftwareSigningKey subjectKey)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        return Create(request, subjectKey.PublicKey, subjectKey);
    }

    /// <summary>
    /// Issues a certificate for someone else's public key (a PKCS#10 request whose signature the caller checked); only the
    /// request's names are used, the profile decides every extension.
    /// </summary>
    /// <param name="request">Names, profile and validity.</param>
    /// <param name="subjectPublicKey">The subject's public key: RSA of at least 2048 bits, or ECDSA P-256/P-384.</param>
    /// <exception cref="ArgumentException">A weak or unsupported key, or a request that breaks a profile rule.</exception>
    public IssuedCertificate Sign(LeafRequest request, PublicKey subjectPublicKey)
    {
        ArgumentNullException.ThrowIfNull(subjectPublicKey);
        return Create(request, subjectPublicKey, null);
    }

    private IssuedCertificate Create(LeafRequest request, PublicKey publicKey, SoftwareSigningKey? subjectKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckKeyStrength(publicKey);
        var (notBefore, notAfter) = ValidityFor(request);
        var certificateRequest = new CertificateRequest(DistinguishedName(request.CommonName, request.OrganizationalUnit), publicKey, _issuingKey.SignatureHash);
        AddExtensions(certificateRequest, request.Profile, _intermediate);
        certificateRequest.CertificateExtensions.Add(BuildSubjectAlternativeName(request));
        var certificate = certificateRequest.Create(_intermediate.SubjectName, _issuingKey.CreateX509SignatureGenerator(), notBefore, notAfter, SerialNumbers.Create());
        CheckNameConstraints(certificate, request.Profile, notBefore);
        return new IssuedCertificate(certificate, subjectKey, X509CertificateLoader.LoadCertificate(_intermediate.RawData), Root, request.Profile);
    }

    /// <summary>Refuses to hand out a certificate whose names the intermediate's name constraints forbid (peers would refuse it).</summary>
    private void CheckNameConstraints(X509Certificate2 certificate, CertificateProfile profile, DateTimeOffset notBefore)
    {
        if (_intermediate.Extensions["2.5.29.30"] is null)
        {
            return;
        }

        var policy = new TrustPolicy
        {
            TrustAnchors = [Root],
            Intermediates = [_intermediate],
            Revocation = RevocationMode.None,
            Purpose = profile.ExtendedKeyUsages.Contains(Oids.ClientAuth) ? CertificatePurpose.ClientAuthentication : CertificatePurpose.ServerAuthentication,
        };
        var at = notBefore > _intermediate.NotBefore ? notBefore : new DateTimeOffset(_intermediate.NotBefore.ToUniversalTime());
        var result = ChainValidator.ValidateAt(certificate, [], policy, null, at);
        if (result.Reason == ChainFailureReason.NameConstraintViolation)
        {
            certificate.Dispose();
            throw new ArgumentException("The names are outside the CA's name constraints (see 'mutualauth ca inspect' on the intermediate).");
        }
    }

    private static void CheckKeyStrength(PublicKey publicKey)
    {
        using var rsa = publicKey.GetRSAPublicKey();
        using var ec = rsa is null ? publicKey.GetECDsaPublicKey() : null;
        var ok = rsa is not null ? rsa.KeySize >= 2048 : ec is not null && Curves.OidOf(ec) is Curves.P256 or Curves.P384;
        if (!ok)
        {
            throw new ArgumentException($"The subject key ({publicKey.Oid.FriendlyName ?? publicKey.Oid.Value}, {rsa?.KeySize ?? ec?.KeySize} bits) is not allowed: use RSA of at least 2048 bits or ECDSA P-256/P-384.", nameof(publicKey));
        }
    }

    /// <summary>
    /// Signs a CRL (RFC 5280 §5) for certificates issued by the intermediate.
    /// </summary>
    /// <param name="revoked">Revoked entries: serial (big-endian bytes), revocation time and reason.</param>
    /// <param name="crlNumber">Monotonic CRL number (§5.2.3).</param>
    /// <param name="lifetime">How long until nextUpdate.</param>
    /// <returns>The DER-encoded CRL.</returns>
    public byte[] CreateCrl(IEnumerable<RevokedCertificate> revoked, BigInteger crlNumber, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(entry.SerialNumber), entry.RevokedAt, entry.Reason);
        }

        var thisUpdate = _time.GetUtcNow();

        // The AKI the certificate overload of Build derives, but signed through the generator: the key stays where it is.
        var akid = _intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } skid
            ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(skid)
            : X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_intermediate, includeKeyIdentifier: false, includeIssuerAndSerial: true);
        return builder.Build(_intermediate.SubjectName, _issuingKey.CreateX509SignatureGenerator(), crlNumber, thisUpdate + lifetime, _issuingKey.SignatureHash, akid, thisUpdate);
    }

    /// <summary>The issuing (intermediate) key as unencrypted PKCS#8 PEM, for the caller to store owner-only.</summary>
    /// <exception cref="InvalidOperationException">The key is not in memory (a token key never leaves its token).</exception>
    public string ExportIssuingKeyPem() => _issuingKey is SoftwareSigningKey software
        ? software.ExportPkcs8Pem()
        : throw new InvalidOperationException("The issuing key is not in memory and cannot be exported.");

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        _intermediate.Dispose();
        if (_intermediateWithKey.IsValueCreated)
        {
            _intermediateWithKey.Value.Dispose();
        }

        _issuingKey.Dispose();
    }

    /// <summary>The CA key type of <paramref name="key"/>; RSA of any allowed size counts as <see cref="KeyAlgorithm.Rsa3072"/>, as before.</summary>
    private static KeyAlgorithm AlgorithmOf(SigningKey key) => key.Algorithm switch
    {
        SigningKeyAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
        SigningKeyAlgorithm.EcdsaP384 => KeyAlgorithm.EcdsaP384,
        SigningKeyAlgorithm.Rsa => KeyAlgorithm.Rsa3072,
        _ => throw new ArgumentException($"A CA key is ECDSA P-256/P-384 or RSA, not {key.Algorithm}.", nameof(key)),
    };

    private (DateTimeOffset NotBefore, DateTimeOffset NotAfter) ValidityFor(LeafRequest request)
    {
        var notBefore = request.NotBefore ?? _time.GetUtcNow() - ClockSkewAllowance;
        var notAfter = request.NotAfter ?? notBefore + request.Profile.DefaultLifetime + ClockSkewAllowance;
        if (request.NotBefore is null && notBefore < _intermediate.NotBefore)
        {
            notBefore = _intermediate.NotBefore;
        }

        if (request.NotAfter is { } requested && requested > _intermediate.NotAfter)
        {
            throw new ArgumentException($"The certificate would outlive its issuer, which expires at {_intermediate.NotAfter.ToUniversalTime():u}.", nameof(request));
        }

        notAfter = Min(notAfter, _intermediate.NotAfter);
        if (notAfter <= notBefore)
        {
            throw new ArgumentException("The certificate would end before it starts (or after its issuer expires).", nameof(request));
        }

        if (request.DnsNames.Count + request.IpAddresses.Count + request.Uris.Count + request.EmailAddresses.Count == 0)
        {
            throw new ArgumentException("A certificate needs at least one subject alternative name (DNS, IP, URI or e-mail); the CN alone is not a name.", nameof(request));
        }

        if (request.DnsNames.FirstOrDefault(n => !NameSyntax.IsDnsName(n)) is { } badDns)
        {
            throw new ArgumentException($"'{badDns}' is not a DNS name the CA certifies (letters, digits and '-' in labels; a wildcard only as the whole first label of at least three, never directly over a public suffix such as co.uk).", nameof(request));
        }

        if (request.Uris.FirstOrDefault(u => !NameSyntax.IsUri(u)) is { } badUri)
        {
            throw new ArgumentException($"'{badUri.OriginalString}' is not a URI the CA certifies (absolute, with a host, without user information).", nameof(request));
        }

        if (request.EmailAddresses.FirstOrDefault(e => !NameSyntax.IsEmailAddress(e)) is { } badEmail)
        {
            throw new ArgumentException($"'{badEmail}' is not an e-mail address.", nameof(request));
        }

        return (notBefore, notAfter);
    }

    private static void AddExtensions(CertificateRequest request, CertificateProfile profile, X509Certificate2? issuer)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            profile.IsCertificateAuthority,
            profile.PathLengthConstraint is not null,
            profile.PathLengthConstraint ?? 0,
            critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(profile.KeyUsage, critical: true));
        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var oid in profile.ExtendedKeyUsages)
            {
                usages.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        if (profile.CertificatePolicies.Count > 0)
        {
            request.CertificateExtensions.Add(CertificatePolicies.Build(profile.CertificatePolicies));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }
    }

    private static X509Extension BuildSubjectAlternativeName(LeafRequest request)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in request.DnsNames)
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in request.IpAddresses)
        {
            san.AddIpAddress(ip);
        }

        foreach (var uri in request.Uris)
        {
            san.AddUri(uri);
        }

        foreach (var email in request.EmailAddresses)
        {
            san.AddEmailAddress(email);
        }

        return san.Build(critical: false);
    }

    private static X500DistinguishedName DistinguishedName(string commonName, string? organizationalUnit)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (!string.IsNullOrEmpty(organizationalUnit))
        {
            builder.AddOrganizationalUnitName(organizationalUnit);
        }

        builder.AddCommonName(commonName);
        return builder.Build();
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
