using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Cli;

/// <summary>Reads files named on the command line; any problem is a usage error naming the file and the reason.</summary>
internal static class InputFiles
{
    public static X509Certificate2Collection Certificates(string path)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw CliException.Usage($"cannot read certificates from '{path}': {Reason(e)}", e);
        }

        return collection.Count > 0 ? collection : throw CliException.Usage($"'{path}' holds no PEM certificate (expected -----BEGIN CERTIFICATE-----).");
    }

    public static X509Certificate2 CertificateWithKey(string certificatePath, string keyPath)
    {
        var certificates = Certificates(certificatePath);
        string keyPem;
        try
        {
            keyPem = File.ReadAllText(keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the key '{keyPath}': {Reason(e)}", e);
        }

        try
        {
            using var key = KeyPair.FromPem(keyPem);
            using var withKey = key.AttachTo(certificates[0]);
            // Re-import so the key is not tied to the disposed KeyPair (and works with SslStream on every platform).
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw CliException.Usage($"the key '{keyPath}' does not match '{certificatePath}' or is not a PEM private key: {e.Message}", e);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
