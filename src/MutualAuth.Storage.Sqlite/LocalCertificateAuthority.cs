using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// The CA kept in a <see cref="DataFolder"/>: creates it, issues identities into PEM files, revokes and
/// writes the CRL. Each operation either completes or leaves what was stored before untouched.
/// </summary>
public sealed class LocalCertificateAuthority
{
    /// <summary>How long a CRL stays current (its nextUpdate), by default.</summary>
    public static readonly TimeSpan DefaultCrlLifetime = TimeSpan.FromDays(7);

    private readonly DataFolder _folder;
    private readonly TimeProvider _time;
    private readonly ICertificateStore _store;

    /// <summary>Opens the CA state in <paramref name="folder"/> (creating the database if needed).</summary>
    /// <exception cref="StoreException">The database cannot be opened.</exception>
    public LocalCertificateAuthority(DataFolder folder, TimeProvider timeProvider)
        : this(folder, timeProvider, new SqliteCertificateStore((folder ?? throw new ArgumentNullException(nameof(folder))).OpenDatabase()))
    {
    }

    /// <summary>The CA whose keys and files are in <paramref name="folder"/> and whose records are in <paramref name="store"/> (e.g. shared by several nodes).</summary>
    public LocalCertificateAuthority(DataFolder folder, TimeProvider timeProvider, ICertificateStore store)
    {
        _folder = folder ?? throw new ArgumentNullException(nameof(folder));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <summary>The certificate store.</summary>
    public ICertificateStore Store => _store;

    /// <summary>The data folder.</summary>
    public DataFolder Folder => _folder;

    /// <summary>Whether <c>ca init</c> has run.</summary>
    public async Task<bool> IsInitializedAsync(CancellationToken cancellationToken = default) =>
        await _store.GetAuthorityAsync(cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Creates the root and intermediate, writes their files and an empty CRL.</summary>
    /// <exception cref="StoreException">A CA already exists or nothing can be written.</exception>
    public Task<CertificateAuthorityRecord> InitializeAsync(string name, KeyAlgorithm algorithm, NameConstraints? constraints = null, CancellationToken cancellationToken = default) =>
        InitializeAsync(name, algorithm, null, null, constraints, cancellationToken);

    /// <summary>
    /// Opens the issuing key when <c>ca init</c> put it on a token (<see cref="DataFolder.IntermediateKeyUriPath"/> holds its
    /// <c>pkcs11:</c> URI); set by the command line, which knows where PINs come from. Null: such a CA cannot be loaded.
    /// </summary>
    internal Func<string, SigningKey>? TokenKeyOpener { get; init; }

    /// <summary>
    /// As <see cref="InitializeAsync(string, KeyAlgorithm, NameConstraints?, CancellationToken)"/>, with the root and/or the
    /// intermediate key held elsewhere (a token, as step-ca's <c>kms: pkcs11</c>): for such a key only its URI is written,
    /// never a key file. A key given here is owned by the call.
    /// </summary>
    internal async Task<CertificateAuthorityRecord> InitializeAsync(string name, KeyAlgorithm algorithm, ExternalCaKey? rootKey, ExternalCaKey? intermediateKey,
        NameConstraints? constraints, CancellationToken cancellationToken)
    {
        if (await IsInitializedAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new StoreException($"A certificate authority already exists in '{_folder.Root}'.");
        }

        using var root = rootKey?.Key ?? SoftwareSigningKey.Generate(algorithm);
        using var authority = CertificateAuthority.Create(name, root, intermediateKey?.Key ?? SoftwareSigningKey.Generate(algorithm), _time, constraints);
        var record = new CertificateAuthorityRecord(name, algorithm, Pem(authority.Root), Pem(authority.Intermediate), _time.GetUtcNow());
        var written = new List<string>();
        try
        {
            if (rootKey is null)
            {
                Write(_folder.RootKeyPath, ((SoftwareSigningKey)root).ExportPkcs8Pem() + "\n", secret: true);
            }
            else
            {
                Write(_folder.RootKeyUriPath, rootKey.Uri + "\n", secret: false);
            }

            Write(intermediateKey is null ? _folder.IntermediateKeyPath : _folder.IntermediateKeyUriPath,
                intermediateKey is null ? authority.ExportIssuingKeyPem() + "\n" : intermediateKey.Uri + "\n", secret: intermediateKey is null);
            Write(_folder.RootCertificatePath, record.RootCertificatePem, secret: false);
            Write(_folder.IntermediateCertificatePath, record.IntermediateCertificatePem, secret: false);
            await _store.SaveAuthorityAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var path in written)
            {
                File.Delete(path);
            }

            throw;
        }

        await WriteCrlAsync(authority, cancellationToken).ConfigureAwait(false);
        return record;

        void Write(string path, string text, bool secret)
        {
            written.Add(path);
            DataFolder.WriteFile(path, text, secret);
        }
    }

    /// <summary>Loads the issuing CA with its key.</summary>
    /// <exception cref="StoreException">No CA, or its key file cannot be read.</exception>
    public async Task<CertificateAuthority> LoadAsync(CancellationToken cancellationToken = default)
    {
        var record = await _store.GetAuthorityAsync(cancellationToken).ConfigureAwait(false) ?? throw new StoreException($"No certificate authority in '{_folder.Root}'; run 'mutualauth ca init' first.");
        if (File.Exists(_folder.IntermediateKeyUriPath))
        {
            var uri = File.ReadAllText(_folder.IntermediateKeyUriPath).Trim();
            var opener = TokenKeyOpener ?? throw new StoreException($"The CA key is on a token ({uri}); this command cannot open it.");
            return new CertificateAuthority(X509Certificate2.CreateFromPem(record.RootCertificatePem), X509Certificate2.CreateFromPem(record.IntermediateCertificatePem), opener(uri), _time);
        }

        string keyPem;
        try
        {
            keyPem = File.ReadAllText(_folder.IntermediateKeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"Cannot read the CA key '{_folder.IntermediateKeyPath}': {e.Message}", e);
        }

        var root = X509Certificate2.CreateFromPem(record.RootCertificatePem);
        var intermediate = X509Certificate2.CreateFromPem(record.IntermediateCertificatePem);
        return new CertificateAuthority(root, intermediate, SoftwareSigningKey.FromPem(keyPem), _time);
    }

    /// <summary>The intermediate certificate (public part).</summary>
    public async Task<X509Certificate2> LoadIntermediateAsync(CancellationToken cancellationToken = default) =>
        X509Certificate2.CreateFromPem((await _store.GetAuthorityAsync(cancellationToken).ConfigureAwait(false) ?? throw new StoreException("No certificate authority.")).IntermediateCertificatePem);

    /// <summary>
    /// Issues a certificate with a new key and writes <c>cert.pem</c>, <c>key.pem</c>, <c>chain.pem</c>
    /// and <c>ca.pem</c> into <paramref name="files"/>, then records it.
    /// </summary>
    /// <param name="name">Identity name recorded with the certificate.</param>
    /// <param name="request">What to issue.</param>
    /// <param name="files">Where to write the PEM files.</param>
    /// <param name="cancellationToken">Cancels the store operations.</param>
    /// <exception cref="StoreException">The CA cannot be loaded or the record cannot be written (the files are then removed).</exception>
    /// <exception cref="ArgumentException">The request breaks a profile rule.</exception>
    public async Task<IssuedCertificate> IssueAsync(string name, LeafRequest request, IdentityFiles files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var authority = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var issued = authority.Issue(request);
        try
        {
            await DataFolder.WriteIdentityAsync(files, issued.CertificatePem, issued.ChainPem, issued.PrivateKey!.ExportPkcs8Pem() + "\n", Pem(issued.Root),
                beforeSwap: () => _store.AddIssuedAsync(ToRecord(name, issued), cancellationToken)).ConfigureAwait(false);
            return issued;
        }
        catch
        {
            issued.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Renews a certificate this CA issued: same names and profile, new validity, for <paramref name="newKey"/>
    /// (which may be the current key). The caller has authenticated the holder of <paramref name="current"/>.
    /// </summary>
    /// <returns>The new certificate, or <see langword="null"/> when <paramref name="current"/> was not issued here or is revoked.</returns>
    /// <exception cref="ArgumentException">A weak key.</exception>
    public async Task<IssuedCertificate?> RenewAsync(X509Certificate2 current, PublicKey newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var record = await _store.FindIssuedAsync(current.SerialNumber, cancellationToken).ConfigureAwait(false);
        if (record is null || record.RevokedAt is not null || CertificateProfile.FindLeaf(record.Profile) is not { } profile)
        {
            return null;
        }

        using (var issued = X509Certificate2.CreateFromPem(record.CertificatePem))
        {
            if (!issued.RawData.AsSpan().SequenceEqual(current.RawData))
            {
                return null;
            }
        }

        var names = SubjectAlternativeNames.From(current);
        var request = new LeafRequest
        {
            CommonName = DistinguishedNames.CommonName(current.SubjectName) ?? record.Name,
            OrganizationalUnit = DistinguishedNames.Values(current.SubjectName, DistinguishedNames.OrganizationalUnitOid).FirstOrDefault(),
            DnsNames = names.DnsNames,
            IpAddresses = [.. names.IpAddresses.Select(System.Net.IPAddress.Parse)],
            Uris = [.. names.Uris.Select(u => new Uri(u))],
            EmailAddresses = names.EmailAddresses,
            Profile = profile,
        };
        return await SignAsync(record.Name, request, newKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs someone else's public key (from a checked PKCS#10 request) and records the certificate.</summary>
    /// <param name="name">Name recorded with the certificate.</param>
    /// <param name="request">Names, profile and validity.</param>
    /// <param name="publicKey">The subject's public key.</param>
    /// <param name="cancellationToken">Cancels the store operations.</param>
    /// <exception cref="StoreException">The CA cannot be loaded or the record cannot be written.</exception>
    /// <exception cref="ArgumentException">A weak key or a request that breaks a profile rule.</exception>
    public async Task<IssuedCertificate> SignAsync(string name, LeafRequest request, PublicKey publicKey, CancellationToken cancellationToken = default)
    {
        using var authority = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var issued = authority.Sign(request, publicKey);
        try
        {
            await _store.AddIssuedAsync(ToRecord(name, issued), cancellationToken).ConfigureAwait(false);
            return issued;
        }
        catch
        {
            issued.Dispose();
            throw;
        }
    }

    /// <summary>Revokes a certificate and re-signs the CRL.</summary>
    /// <returns><see langword="false"/> when the serial is unknown or was already revoked.</returns>
    /// <exception cref="StoreException">The CA cannot be loaded or the store cannot be written.</exception>
    public async Task<bool> RevokeAsync(string serialNumber, X509RevocationReason reason, CancellationToken cancellationToken = default)
    {
        // The CA key is loaded first, so a CA that cannot sign changes nothing. The CRL is re-signed even when the serial
        // was already revoked, which repairs a CRL that an earlier failure left behind.
        using var authority = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var revoked = await _store.RevokeAsync(serialNumber, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await WriteCrlAsync(authority, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>Signs a new CRL from the store's revocations and writes it to <see cref="DataFolder.CrlPath"/>.</summary>
    /// <returns>The new CRL.</returns>
    public async Task<CertificateRevocationList> WriteCrlAsync(CancellationToken cancellationToken = default)
    {
        using var authority = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return await WriteCrlAsync(authority, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CertificateRevocationList> WriteCrlAsync(CertificateAuthority authority, CancellationToken cancellationToken)
    {
        var revoked = await _store.ListRevokedAsync(cancellationToken).ConfigureAwait(false);
        var number = await _store.NextCrlNumberAsync(cancellationToken).ConfigureAwait(false);
        var der = authority.CreateCrl(revoked, number, DefaultCrlLifetime);
        var pem = PemEncoding.WriteString("X509 CRL", der) + "\n";
        DataFolder.WriteFile(_folder.CrlPath, pem, secret: false);
        if (_store is ISharedCrlStore shared)
        {
            // Kept when newer than the shared one; every node then serves this one.
            await shared.PublishCrlAsync(number, pem, cancellationToken).ConfigureAwait(false);
        }

        return CertificateRevocationList.Parse(der);
    }

    /// <summary>
    /// Brings the CRL file up to date: re-signed at half its life and, with a shared store (<see cref="ISharedCrlStore"/>),
    /// replaced by the shared CRL when that one is newer, or re-signed (and shared) when the shared one lacks a revocation
    /// in the store or is not signed by this CA. Nodes call it when a revocation is announced and periodically.
    /// </summary>
    /// <returns>Whether the file changed.</returns>
    /// <exception cref="StoreException">The store cannot be read or the CA cannot sign.</exception>
    public async Task<bool> RefreshCrlAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (_store is not ISharedCrlStore shared)
        {
            if (ReadCrl() is { } current && !IsDue(current, now))
            {
                return false;
            }

            await WriteCrlAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        var revoked = await _store.ListRevokedAsync(cancellationToken).ConfigureAwait(false);
        var publishedPem = await shared.GetPublishedCrlAsync(cancellationToken).ConfigureAwait(false);
        var published = publishedPem is null ? null : CertificateRevocationList.Parse(System.Text.Encoding.ASCII.GetBytes(publishedPem));
        using var intermediate = await LoadIntermediateAsync(cancellationToken).ConfigureAwait(false);
        if (published is null || IsDue(published, now) || revoked.Any(r => published.Find(r.SerialNumber) is null) || !published.IsSignedBy(intermediate))
        {
            await WriteCrlAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (ReadCrl() is { CrlNumber: { } held } && held >= published.CrlNumber)
        {
            return false;
        }

        DataFolder.WriteFile(_folder.CrlPath, publishedPem!, secret: false);
        return true;
    }

    private static bool IsDue(CertificateRevocationList crl, DateTimeOffset now) =>
        crl.NextUpdate is not { } next || now >= crl.ThisUpdate + ((next - crl.ThisUpdate) / 2);

    /// <summary>Reads the CRL file, or <see langword="null"/> when there is none.</summary>
    /// <exception cref="CryptographicException">The file is not a CRL.</exception>
    public CertificateRevocationList? ReadCrl() =>
        File.Exists(_folder.CrlPath) ? CertificateRevocationList.Parse(File.ReadAllBytes(_folder.CrlPath)) : null;

    /// <summary>The stored record of an issued certificate.</summary>
    public static IssuedCertificateRecord ToRecord(string name, IssuedCertificate issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var certificate = issued.Certificate;
        var names = SubjectAlternativeNames.From(certificate);
        return new IssuedCertificateRecord
        {
            SerialNumber = SerialNumbers.Normalize(certificate.SerialNumber),
            Name = name,
            Subject = certificate.Subject,
            SubjectAlternativeNames = names.ToTypedStrings(),
            Profile = issued.Profile.Name,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            CertificatePem = issued.CertificatePem,
        };
    }

    private static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";
}
