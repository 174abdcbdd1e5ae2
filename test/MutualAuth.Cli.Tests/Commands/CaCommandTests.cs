using System.Text.Json;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class CaCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<ProcessResult> Ok(params string[] args)
    {
        var result = await _folder.Run(args);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result);
        return result;
    }

    [Fact]
    public async Task Init_issue_revoke_and_list()
    {
        await Ok("ca", "init");
        var issued = await Ok("ca", "issue", "client", "--name", "alice", "--uri", "spiffe://example.org/ns/a/sa/alice", "--ou", "payments");
        await Ok("ca", "issue", "server", "--dns", "api.example.org", "--ip", "127.0.0.1");
        var serial = issued.StdOut.Split("serial ")[1].Split(',')[0];

        var revoked = await Ok("ca", "revoke", serial.ToLowerInvariant(), "--reason", "keyCompromise");
        var list = await Ok("ca", "list", "--json");
        var table = await Ok("ca", "list");

        Assert.Contains("CRL updated", revoked.StdOut, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(list.StdOut);
        var alice = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "alice");
        Assert.Equal("revoked", alice.GetProperty("status").GetString());
        Assert.Equal(serial, alice.GetProperty("serial").GetString());
        Assert.Equal("client", alice.GetProperty("profile").GetString());
        Assert.Contains("URI:spiffe://example.org/ns/a/sa/alice", alice.GetProperty("sans").EnumerateArray().Select(s => s.GetString()));
        var server = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "server");
        Assert.Equal("valid", server.GetProperty("status").GetString());
        Assert.Contains(serial, table.StdOut, StringComparison.Ordinal);
        var crl = await Tool.Run("openssl", ["crl", "-in", Path.Combine(_folder.Data, "ca", "crl.pem"), "-noout", "-text", "-CAfile", Path.Combine(_folder.Data, "ca", "intermediate.pem")]);
        Assert.Contains(serial, crl.StdOut, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", crl.StdOut, StringComparison.Ordinal);
        Assert.Contains("verify OK", crl.StdErr + crl.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issued_files_are_read_by_openssl_with_the_profile_extensions()
    {
        await Ok("ca", "init", "--key", "rsa3072");
        await Ok("ca", "issue", "server", "--dns", "localhost", "--ip", "127.0.0.1");
        var identity = Path.Combine(_folder.Data, "identities", "server");

        var text = await Tool.Run("openssl", ["x509", "-in", Path.Combine(identity, "cert.pem"), "-noout", "-text"]);
        var verify = await Tool.Run("openssl", ["verify", "-CAfile", Path.Combine(identity, "ca.pem"), "-untrusted", Path.Combine(_folder.Data, "ca", "intermediate.pem"),
            "-purpose", "sslserver", Path.Combine(identity, "cert.pem")]);
        var key = await Tool.Run("openssl", ["pkey", "-in", Path.Combine(identity, "key.pem"), "-noout"]);

        Assert.Contains("Public-Key: (3072 bit)", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("DNS:localhost, IP Address:127.0.0.1", text.StdOut, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(key.ExitCode == 0, key.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(identity, "key.pem")));
    }

    [Fact]
    public async Task P12_export_is_readable_by_openssl_with_the_generated_password()
    {
        await Ok("ca", "init", "--key", "p384");
        var p12 = Path.Combine(_folder.Root, "alice.p12");
        await Ok("ca", "issue", "client", "--name", "alice", "--p12", p12);

        var read = await Tool.Run("openssl", ["pkcs12", "-in", p12, "-passin", "file:" + p12 + ".password", "-nodes", "-info"]);

        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains("CN = alice", read.StdOut, StringComparison.Ordinal);
        Assert.Contains("Intermediate CA", read.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(p12 + ".password"));
    }

    [Fact]
    public async Task Inspect_describes_a_chain_and_export_writes_a_pkcs12_openssl_reads()
    {
        await Ok("ca", "init");
        await Ok("ca", "issue", "client", "--name", "alice", "--uri", "spiffe://example.org/ns/a/sa/alice");
        var chain = Path.Combine(_folder.Data, "identities", "alice", "chain.pem");

        var inspect = await Ok("ca", "inspect", chain, "--json");
        var p12 = Path.Combine(_folder.Root, "alice-export.p12");
        await Ok("ca", "export", "alice", "--p12", p12);
        var read = await Tool.Run("openssl", ["pkcs12", "-in", p12, "-passin", "file:" + p12 + ".password", "-nodes", "-info"]);
        var pin = await Tool.Run("sh", ["-c", $"openssl x509 -in {chain} -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64"]);

        using var json = JsonDocument.Parse(inspect.StdOut);
        var leaf = json.RootElement[0];
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("CN=alice", leaf.GetProperty("subject").GetString());
        Assert.Equal(["URI:spiffe://example.org/ns/a/sa/alice"], leaf.GetProperty("sans").EnumerateArray().Select(e => e.GetString()));
        Assert.False(leaf.GetProperty("isCa").GetBoolean());
        Assert.True(json.RootElement[1].GetProperty("isCa").GetBoolean());
        Assert.Equal("sha256/" + pin.StdOut.Trim(), leaf.GetProperty("spkiPin").GetString());
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(2, (await _folder.Run("ca", "export", "alice", "--p12", "")).ExitCode);
        Assert.Contains("PRIVATE KEY", read.StdOut, StringComparison.Ordinal);
        Assert.Contains("Intermediate CA", read.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_constrained_ca_refuses_names_outside_its_domain()
    {
        await Ok("ca", "init", "--permit-dns", "example.org", "--permit-uri", "example.org");
        await Ok("ca", "issue", "client", "--name", "ok", "--dns", "api.example.org", "--uri", "spiffe://example.org/ns/a");

        var outside = await _folder.Run("ca", "issue", "client", "--name", "bad", "--dns", "evil.com");
        var text = await Tool.Run("openssl", ["x509", "-in", Path.Combine(_folder.Data, "ca", "intermediate.pem"), "-noout", "-text"]);

        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("name constraints", outside.StdErr, StringComparison.Ordinal);
        Assert.Contains("X509v3 Name Constraints: critical", text.StdOut, StringComparison.Ordinal);
        var badRange = await _folder.Run("ca", "init", "--permit-ip", "10.0.0.0");
        Assert.Equal(2, badRange.ExitCode);
        Assert.Contains("not an IP range", badRange.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_certificates_are_short_lived_by_default()
    {
        await Ok("ca", "init");
        await Ok("ca", "issue", "client", "--name", "day");
        await Ok("ca", "issue", "client", "--name", "two-hours", "--hours", "2");

        using var json = JsonDocument.Parse((await Ok("ca", "list", "--json")).StdOut);
        TimeSpan Life(string name)
        {
            var item = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
            return item.GetProperty("notAfter").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        }

        Assert.InRange(Life("day"), TimeSpan.FromHours(23), TimeSpan.FromHours(24.2));
        Assert.InRange(Life("two-hours"), TimeSpan.FromHours(1.9), TimeSpan.FromHours(2.1));
        Assert.Equal(2, (await _folder.Run("ca", "issue", "client", "--name", "both", "--hours", "2", "--days", "1")).ExitCode);
    }

    [Fact]
    public async Task Init_twice_is_refused_and_keeps_the_ca()
    {
        await Ok("ca", "init");
        var root = await File.ReadAllTextAsync(Path.Combine(_folder.Data, "ca", "root.pem"));

        var again = await _folder.Run("ca", "init");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(root, await File.ReadAllTextAsync(Path.Combine(_folder.Data, "ca", "root.pem")));
    }

    [Theory]
    [InlineData("ca", "issue", "client", "--name", "alice")]
    [InlineData("ca", "revoke", "01")]
    [InlineData("ca", "list")]
    public async Task Commands_needing_a_ca_explain_how_to_create_one(params string[] args)
    {
        var result = await _folder.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mutualauth ca init", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca", "issue", "server")]
    [InlineData("ca", "issue", "server", "--dns", "bad name")]
    [InlineData("ca", "issue", "server", "--ip", "300.1.1.1")]
    [InlineData("ca", "issue", "client", "--name", "../escape")]
    [InlineData("ca", "issue", "client", "--name", "x", "--uri", "not a uri")]
    [InlineData("ca", "issue", "client", "--name", "x", "--days", "0")]
    [InlineData("ca", "issue", "client", "--name", "x", "--uri", "spiffe://example.org/ns/a/../admin")]
    [InlineData("ca", "issue", "client", "--name", "x", "--uri", "spiffe://example.org/ns/a?x=1")]
    [InlineData("ca", "issue", "client", "--name", "x", "--uri", "spiffe://Example.org/ns/a")]
    [InlineData("ca", "issue", "client", "--name", "x", "--cn", "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")]
    [InlineData("ca", "issue", "client", "--name", "x", "--email", "notanemail")]
    [InlineData("ca", "issue", "client", "--name", "x", "--p12", "/nonexistent-folder/x.p12")]
    [InlineData("ca", "issue", "client", "--name", "x", "--p12", "/tmp")]
    [InlineData("ca", "issue", "client", "--name", "x", "--p12", "x.p12", "--p12-password-file", "/nonexistent")]
    [InlineData("ca", "issue", "client", "--name", "x", "--out", "/etc/hostname")]
    [InlineData("ca", "revoke", "not-hex")]
    [InlineData("ca", "revoke", "0A0B")]
    public async Task Bad_requests_are_usage_errors_and_store_nothing(params string[] args)
    {
        await Ok("ca", "init");

        var result = await _folder.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("[]", (await Ok("ca", "list", "--json")).StdOut.Trim());
    }

    [Fact]
    public async Task Revoking_twice_is_harmless_and_re_signs_the_crl()
    {
        await Ok("ca", "init");
        var issued = await Ok("ca", "issue", "client", "--name", "alice");
        var serial = issued.StdOut.Split("serial ")[1].Split(',')[0];
        await Ok("ca", "revoke", serial);

        var again = await Ok("ca", "revoke", serial);

        Assert.Contains("already revoked", again.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca", "list")]
    [InlineData("audit")]
    public async Task Reading_commands_do_not_create_a_data_folder(params string[] args)
    {
        var result = await _folder.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no ", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Data));
    }

    [Fact]
    public async Task An_empty_ca_name_or_data_dir_is_a_usage_error()
    {
        Assert.Equal(2, (await _folder.Run("ca", "init", "--name", " ")).ExitCode);
        Assert.False(Directory.Exists(_folder.Data));
        Assert.Equal(2, (await Tool.MutualAuth("ca", "list", "--data-dir", "")).ExitCode);
    }

    [Fact]
    public async Task An_existing_identity_is_replaced_only_with_force()
    {
        await Ok("ca", "init");
        await Ok("ca", "issue", "client", "--name", "alice");
        var certificate = Path.Combine(_folder.Data, "identities", "alice", "cert.pem");
        var first = await File.ReadAllTextAsync(certificate);

        var refused = await _folder.Run("ca", "issue", "client", "--name", "alice");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(first, await File.ReadAllTextAsync(certificate));

        await Ok("ca", "issue", "client", "--name", "alice", "--force");
        Assert.NotEqual(first, await File.ReadAllTextAsync(certificate));
    }

    [Fact]
    public async Task A_data_folder_that_is_a_file_is_an_io_error()
    {
        var file = Path.Combine(_folder.Root, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var result = await Tool.MutualAuth("ca", "init", "--data-dir", file);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
    }
}
