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
    public async Task<(string Certificate, string Key)> IssueClient(string name, params string[] extensionOverrides) =>
        await IssueClientWith(name, CertificatePath, KeyPath, extensionOverrides);

    /// <summary>Issues a client certificate signed by another certificate (e.g. a leaf, which must not sign).</summary>
    public async Task<string> IssueClientSignedBy(string name, string issuerCertificate, string issuerKey) =>
        (await IssueClientWith(name, issuerCertificate, issuerKey, [])).Certificate;

    private async Task<(string Certificate, string Key)> IssueClientWith(string name, string issuerCertificate, string issuerKey, string[] extensionOverrides)
    {
        var key = Path.Combine(_directory, name + ".key");
        var csr = Path.Combine(_directory, name + ".csr");
        var certificate = Path.Combine(_directory, name + ".pem");
        var extensions = Path.Combine(_directory, name + ".ext");
        var lines = new Dictionary<string, string>
        {
            ["basicConstraints"] = "critical,CA:FALSE",
            ["keyUsage"] = "critical,digitalSignature",
            ["extendedKeyUsage"] = "clientAuth",
            ["subjectAltName"] = "DNS:" + name,
        };
        foreach (var line in extensionOverrides)
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            lines[parts[0]] = parts[1];
        }

        await File.WriteAllLinesAsync(extensions, lines.Select(l => $"{l.Key} = {l.Value}"));
        await Openssl(_directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + name);
        await Openssl(_directory, "x509", "-req", "-in", csr, "-CA", issuerCertificate, "-CAkey", issuerKey, "-CAcreateserial", "-out", certificate, "-days", "5", "-sha256", "-extfile", extensions);
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
