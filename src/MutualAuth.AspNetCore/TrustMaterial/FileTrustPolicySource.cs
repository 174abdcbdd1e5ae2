using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.TrustMaterial;

/// <summary>
/// A <see cref="TrustPolicy"/> from PEM files (trust anchors, intermediates, CRLs), rebuilt when a file changes;
/// a failed reload keeps the previous policy.
/// </summary>
public sealed class FileTrustPolicySource
{
    /// <summary>How often file timestamps are checked.</summary>
    public static readonly TimeSpan CheckInterval = ReloadingFileSource<TrustPolicy>.CheckInterval;

    private readonly IReadOnlyList<string> _anchorFiles;
    private readonly IReadOnlyList<string> _intermediateFiles;
    private readonly IReadOnlyList<string> _crlFiles;
    private readonly TrustPolicy _template;
    private readonly ReloadingFileSource<TrustPolicy> _source;

    /// <summary>Loads the files once.</summary>
    /// <param name="anchorFiles">PEM files of trust anchors (each may hold several certificates).</param>
    /// <param name="intermediateFiles">PEM files of known intermediates.</param>
    /// <param name="crlFiles">CRL files (PEM or DER).</param>
    /// <param name="template">Settings other than certificates and CRLs (purpose, allow-rules, revocation…).</param>
    /// <param name="timeProvider">Clock for the check interval.</param>
    /// <param name="logger">Log for reloads, optional.</param>
    /// <exception cref="TrustMaterialException">A file cannot be read or holds no certificate.</exception>
    public FileTrustPolicySource(IReadOnlyList<string> anchorFiles, IReadOnlyList<string> intermediateFiles, IReadOnlyList<string> crlFiles,
        TrustPolicy template, TimeProvider timeProvider, ILogger? logger = null)
    {
        _anchorFiles = anchorFiles ?? throw new ArgumentNullException(nameof(anchorFiles));
        _intermediateFiles = intermediateFiles ?? throw new ArgumentNullException(nameof(intermediateFiles));
        _crlFiles = crlFiles ?? throw new ArgumentNullException(nameof(crlFiles));
        _template = template ?? throw new ArgumentNullException(nameof(template));
        if (_anchorFiles.Count == 0)
        {
            throw new TrustMaterialException("At least one trust anchor file is required.");
        }

        _source = new ReloadingFileSource<TrustPolicy>(() => [.. _anchorFiles, .. _intermediateFiles, .. _crlFiles], Load, Describe, timeProvider, logger);
    }

    /// <summary>The current policy, reloaded first if a file changed.</summary>
    public TrustPolicy Current() => _source.Current();

    /// <summary>Reloads every file now (SIGHUP); a failure keeps the previous policy.</summary>
    /// <returns>Whether the reload succeeded.</returns>
    public bool Reload() => _source.Reload();

    /// <summary>Reads every certificate in a PEM file.</summary>
    /// <exception cref="TrustMaterialException">The file cannot be read or holds no certificate.</exception>
    public static X509Certificate2Collection ReadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(BoundedFile.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TrustMaterialException($"Cannot read certificates from '{path}': {e.Message}", e);
        }

        return collection.Count > 0 ? collection : throw new TrustMaterialException($"'{path}' holds no PEM certificate.");
    }

    /// <summary>Reads a CRL file (PEM or DER).</summary>
    /// <exception cref="TrustMaterialException">The file cannot be read or is not a CRL.</exception>
    public static CertificateRevocationList ReadCrl(string path)
    {
        try
        {
            return CertificateRevocationList.Parse(BoundedFile.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TrustMaterialException($"Cannot read the CRL '{path}': {e.Message}", e);
        }
    }

    private TrustPolicy Load(TrustPolicy? previous)
    {
        var anchors = new X509Certificate2Collection();
        foreach (var file in _anchorFiles)
        {
            anchors.AddRange(ReadCertificates(file));
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var file in _intermediateFiles)
        {
            intermediates.AddRange(ReadCertificates(file));
        }

        var crls = _crlFiles.Select(ReadCrl).ToList();
        RefuseRollback(crls, previous);
        return _template with
        {
            TrustAnchors = anchors,
            Intermediates = intermediates,
            Crls = crls,
        };
    }

    /// <summary>A CRL whose number is lower than the one in use for the same issuer would un-revoke certificates: refused.</summary>
    private static void RefuseRollback(List<CertificateRevocationList> crls, TrustPolicy? previous)
    {
        foreach (var crl in crls)
        {
            var older = previous?.Crls.FirstOrDefault(c => c.Issuer.RawData.AsSpan().SequenceEqual(crl.Issuer.RawData) && c.CrlNumber is not null);
            if (older is not null && crl.CrlNumber is { } number && number < older.CrlNumber)
            {
                throw new TrustMaterialException($"The CRL of '{crl.Issuer.Name}' went back from number {older.CrlNumber} to {number}; keeping the newer one.");
            }
        }
    }

    private static string Describe(TrustPolicy policy) =>
        $"trust material: {policy.TrustAnchors.Count} trust anchor(s), {policy.Intermediates.Count} intermediate(s), {policy.Crls.Count} CRL(s) with {policy.Crls.Sum(c => c.Entries.Count)} revoked";
}
