using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Cli;

/// <summary>Reads files named on the command line; any problem is a usage error naming the file and the reason.</summary>
internal static class InputFiles
{
    /// <summary>The largest certificate, key or bundle file read, in bytes.</summary>
    public const int MaxFileSize = 1024 * 1024;

    public static X509Certificate2Collection Certificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(ReadText(path));
        }
        catch (CryptographicException e)
        {
            throw CliException.Usage($"cannot read certificates from '{path}': {Reason(e)}", e);
        }

        return collection.Count > 0 ? collection : throw CliException.Usage($"'{path}' holds no PEM certificate (expected -----BEGIN CERTIFICATE-----).");
    }

    public static X509Certificate2 CertificateWithKey(string certificatePath, string keyPath)
    {
        var certificates = Certificates(certificatePath);
        if (certificates[0].PublicKey.Oid.Value is "1.3.101.112" or "1.3.101.113")
        {
            throw CliException.Usage($"'{certificatePath}' is an {(certificates[0].PublicKey.Oid.Value == "1.3.101.112" ? "Ed25519" : "Ed448")} certificate, which .NET 10 cannot use for TLS: use an ECDSA (P-256, P-384) or RSA certificate.");
        }

        var keyPem = ReadText(keyPath);

        try
        {
            using var key = SoftwareSigningKey.FromPem(keyPem);
            var withKey = key.CopyWithPrivateKey(certificates[0]);

            // On Linux the copy holds its own reference to the OpenSSL key, so it outlives `key`. Elsewhere SslStream may
            // refuse an ephemeral key: re-import it through PKCS#12 there (a key read from a file may leave memory).
            if (OperatingSystem.IsLinux())
            {
                return withKey;
            }

            using (withKey)
            {
                return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw CliException.Usage($"the key '{keyPath}' does not match '{certificatePath}' or is not a PEM private key: {e.Message}", e);
        }
    }

    /// <summary>
    /// <paramref name="certificate"/> with a key that stays on a token attached (by reference: the OpenSSL key). The key
    /// object must stay undisposed while the certificate is used.
    /// </summary>
    public static X509Certificate2 CertificateWithTokenKey(X509Certificate2 certificate, SigningKey key)
    {
        try
        {
            return key.CopyWithPrivateKey(certificate);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw CliException.Usage($"the token key does not match the certificate '{certificate.Subject}': {e.Message}", e);
        }
    }

    /// <summary>Refuses a certificate whose EKU extension lacks <paramref name="oid"/> (it would be refused by the peer).</summary>
    public static void RequireExtendedKeyUsage(X509Certificate2 certificate, string oid, string name, string role)
    {
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == oid))
        {
            throw CliException.Usage($"the {role} certificate '{certificate.Subject}' is not valid for {name} (its extended key usage lacks it); issue one with 'mutualauth ca issue {role}'.");
        }
    }

    /// <summary>The largest request body read from a file (<c>call -d @FILE</c>).</summary>
    public const int MaxBodyFileSize = 64 * 1024 * 1024;

    /// <summary>Reads a file of at most <see cref="MaxFileSize"/> bytes (so /dev/zero or a huge file cannot exhaust memory).</summary>
    public static string ReadText(string path) => System.Text.Encoding.UTF8.GetString(ReadBytes(path, MaxFileSize));

    /// <summary>Reads a file of at most <paramref name="maxSize"/> bytes.</summary>
    public static byte[] ReadBytes(string path, int maxSize)
    {
        try
        {
            return AspNetCore.TrustMaterial.BoundedFile.ReadAllBytes(path, maxSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read '{path}': {Reason(e)}", e);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
