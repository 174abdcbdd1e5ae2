using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>A CA made entirely with the openssl CLI (req -x509, CSRs, x509 -req, ca -gencrl): input we did not make.</summary>
internal sealed class OpensslCa
{
    private readonly string _directory;

    private OpensslCa(string directory) => _directory = directory;

    public string CertificatePath => Path.Combine(_directory, "ca.pem");

    public string KeyPath => Path.Combine(_directory, "ca.key");

    public string CrlPath => Path.Combine(_directory, "crl.pem");

    public static async Task<OpensslCa> Create(string directory, string commonName)
    {
        Directory.CreateDirectory(directory);
        var ca = new OpensslCa(directory);
        await Openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca.KeyPath, "-out", ca.CertificatePath,
            "-subj", "/CN=" + commonName, "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await File.WriteAllTextAsync(Path.Combine(directory, "index.txt"), "");
        await File.WriteAllTextAsync(Path.Combine(directory, "crlnumber"), "01\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.cnf"), $"""
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            database = {Path.Combine(directory, "index.txt")}
            crlnumber = {Path.Combine(directory, "crlnumber")}
            default_md = sha256
            default_crl_days = 30
            """);
        await Openssl(directory, "ca", "-config", Path.Combine(directory, "ca.cnf"), "-gencrl", "-keyfile", ca.KeyPath, "-cert", ca.CertificatePath, "-out", ca.CrlPath);
        return ca;
    }

    /// <summary>Makes a key and CSR with openssl and signs it as a client certificate; returns (cert, key) paths.</summary>
    public async Task<(string Certificate, string Key)> IssueClient(string name)
    {
        var key = Path.Combine(_directory, name + ".key");
        var csr = Path.Combine(_directory, name + ".csr");
        var certificate = Path.Combine(_directory, name + ".pem");
        var extensions = Path.Combine(_directory, name + ".ext");
        await File.WriteAllTextAsync(extensions, $"""
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature
            extendedKeyUsage = clientAuth
            subjectAltName = DNS:{name}
            """);
        await Openssl(_directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + name);
        await Openssl(_directory, "x509", "-req", "-in", csr, "-CA", CertificatePath, "-CAkey", KeyPath, "-CAcreateserial", "-out", certificate, "-days", "5", "-sha256", "-extfile", extensions);
        return (certificate, key);
    }

    private static async Task Openssl(string directory, params string[] args)
    {
        var result = await Tool.Run("openssl", args, workingDirectory: directory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl " + string.Join(' ', args) + " failed: " + result);
        }
    }
}
