using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary><c>ca sign</c> on requests made by the openssl CLI.</summary>
public sealed class CaSignCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<string> Csr(string name, string key, params string[] extensions)
    {
        var csr = Path.Combine(_folder.Root, name + ".csr");
        var result = await Tool.Run("openssl", ["req", "-new", "-newkey", key, .. key == "ec" ? new[] { "-pkeyopt", "ec_paramgen_curve:P-256" } : [], "-nodes",
            "-keyout", Path.Combine(_folder.Root, name + ".key"), "-out", csr, "-subj", "/CN=" + name, .. extensions.SelectMany(e => new[] { "-addext", e })]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return csr;
    }

    [Fact]
    public async Task Signs_an_openssl_request_with_the_profile_extensions_not_the_requested_ones()
    {
        Assert.Equal(0, (await _folder.Run("ca", "init")).ExitCode);
        var csr = await Csr("device-7", "ec", "subjectAltName=DNS:device-7.fleet,URI:spiffe://example.org/device/7", "basicConstraints=critical,CA:TRUE", "extendedKeyUsage=codeSigning");
        var output = Path.Combine(_folder.Root, "device-7.pem");

        var signed = await _folder.Run("ca", "sign", csr, "--profile", "workload", "--out", output);
        var text = await Tool.Run("openssl", ["x509", "-in", output, "-noout", "-text"]);
        var verify = await _folder.Run("verify", output, "--purpose", "server", "--name", "device-7.fleet");

        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Contains("CA:FALSE", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Code Signing", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("DNS:device-7.fleet, URI:spiffe://example.org/device/7", text.StdOut, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("workload", (await _folder.Run("ca", "list", "--json")).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_weak_keys_bad_signatures_and_requests_without_names()
    {
        Assert.Equal(0, (await _folder.Run("ca", "init")).ExitCode);
        var weak = await Csr("weak", "rsa:1024", "subjectAltName=DNS:weak");
        var ed25519 = await Csr("edwards", "ed25519", "subjectAltName=DNS:edwards");
        var wildcard = await Csr("wild", "ec", "subjectAltName=DNS:*.org");
        var nameless = await Csr("nameless", "ec");
        var good = await Csr("good", "ec", "subjectAltName=DNS:good");
        var tampered = Path.Combine(_folder.Root, "tampered.csr");
        var lines = await File.ReadAllLinesAsync(good);
        lines[3] = lines[3][..10] + (lines[3][10] == 'A' ? 'B' : 'A') + lines[3][11..];
        await File.WriteAllLinesAsync(tampered, lines);

        foreach (var (csr, expected) in new[] { (weak, "2048"), (nameless, "subject alternative name"), (tampered, "not a valid certificate signing request"), (ed25519, "not supported"), (wildcard, "not a DNS name") })
        {
            var result = await _folder.Run("ca", "sign", csr, "--profile", "client");
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        }

        Assert.Equal("[]", (await _folder.Run("ca", "list", "--json")).StdOut.Trim());
    }
}
