using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.SmartCards;

/// <summary>A card enrolled on SoftHSM2, used by mutualauth call, curl and openssl; refusals; the PIN never shown.</summary>
public sealed class SmartCardTests(SmartCardFixture fixture) : IClassFixture<SmartCardFixture>
{
    [Fact]
    public async Task Call_with_the_card_is_accepted_as_hwk_and_sc_by_a_server_whose_key_is_on_a_token()
    {
        var result = await Call(fixture.Serve.Url(), "--card", SmartCardFixture.Card, "--pin-file", fixture.PinFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"hwk\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"sc\"", result.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Serve.WaitForOutput($"subject '{SmartCardFixture.Card}'"), fixture.Serve.Output);
        Assert.Contains("(amr hwk sc)", fixture.Serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_software_client_certificate_is_refused_where_the_route_needs_hwk_but_accepted_where_it_does_not()
    {
        await fixture.Cli("ca", "issue", "client", "--name", "soft-" + Guid.NewGuid().ToString("N")[..8]);
        var soft = Directory.GetDirectories(Path.Combine(fixture.DataDirectory, "identities")).Select(Path.GetFileName).First(n => n!.StartsWith("soft-", StringComparison.Ordinal))!;

        var refused = await Call(fixture.Serve.Url(), "--identity", soft);
        var accepted = await Call(fixture.Serve.Url("/open"), "--identity", soft);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("403", refused.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(1, accepted.ExitCode); // no endpoint at /open: 404 (exit 3), but past authentication
        Assert.True(await fixture.Serve.WaitForOutput("hardware-key-required"), fixture.Serve.Output);
    }

    [Fact]
    public async Task Ca_sign_never_gives_the_hardware_key_policy_even_when_the_request_asks_for_it()
    {
        var folder = Directory.CreateTempSubdirectory("mutualauth-csr-").FullName;
        var config = Path.Combine(folder, "req.cnf");
        await File.WriteAllTextAsync(config, $"[req]\ndistinguished_name=dn\nreq_extensions=ext\nprompt=no\n[dn]\nCN=mallory\n[ext]\ncertificatePolicies={Oids.HardwareKeyPolicy}\nsubjectAltName=DNS:mallory\n");
        var made = await Tool.Run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", Path.Combine(folder, "key.pem"), "-config", config, "-out", Path.Combine(folder, "req.csr")]);
        Assert.True(made.ExitCode == 0, made.ToString());

        var signed = await fixture.Cli("ca", "sign", Path.Combine(folder, "req.csr"), "--profile", "client", "--out", Path.Combine(folder, "cert.pem"));
        var card = await Tool.MutualAuth("--data-dir", fixture.DataDirectory, "ca", "sign", Path.Combine(folder, "req.csr"), "--profile", "card");

        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, "cert.pem"));
        Assert.DoesNotContain(Oids.HardwareKeyPolicy, CertificatePolicies.Of(certificate));
        Assert.Equal(2, card.ExitCode);
        var call = await Call(fixture.Serve.Url(), "--cert", Path.Combine(folder, "cert.pem"), "--key", Path.Combine(folder, "key.pem"));
        Assert.True(call.ExitCode == 1, call.ToString());
        Directory.Delete(folder, recursive: true);
        _ = signed;
    }

    [Fact]
    public async Task A_wrong_pin_is_refused_once_with_pin_incorrect_and_never_shown()
    {
        var wrong = Path.Combine(Path.GetTempPath(), "mutualauth-wrong-pin-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(wrong, "99999999\n");
        try
        {
            var result = await Call(fixture.Serve.Url(), "--card", SmartCardFixture.Card, "--pin-file", wrong);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("PIN incorrect", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("99999999", result.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Fact]
    public async Task Without_a_pin_and_without_a_terminal_call_stops_at_once_with_a_clear_error()
    {
        var result = await Call(fixture.Serve.Url(), "--card", SmartCardFixture.Card);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("needs a PIN: give --pin-file", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkcs11:token=no-such-card;object=k", 3, "no token matching")]
    [InlineData("pkcs11:token=" + SoftHsm.EnrolToken + ";object=no-such-key", 2, "no private key matching")]
    [InlineData("pkcs11:token=" + SoftHsm.EnrolToken + ";object=k?pin-value=" + SoftHsm.Pin, 2, "pin-value is refused")]
    public async Task An_absent_token_a_missing_key_and_a_pin_in_the_uri_are_refused(string uri, int exitCode, string message)
    {
        var result = await Call(fixture.Serve.Url(), "--cert", fixture.CardChain, "--key", uri, "--pin-file", fixture.PinFile);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.Pin, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_server_is_refused_before_the_card_is_used_for_a_request()
    {
        var other = Directory.CreateTempSubdirectory("mutualauth-other-ca-").FullName;
        var made = await Tool.MutualAuth("--data-dir", other, "ca", "init", "--name", "Other");
        Assert.True(made.ExitCode == 0, made.ToString());
        var before = fixture.Serve.RequestCount;

        var result = await Call(fixture.Serve.Url(), "--card", SmartCardFixture.Card, "--pin-file", fixture.PinFile, "--ca", Path.Combine(other, "ca", "root.pem"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("request not sent", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Serve.RequestCount);
        Directory.Delete(other, recursive: true);
    }

    [Fact]
    public async Task Call_with_an_rsa_card_is_accepted_as_hwk()
    {
        var result = await Call(fixture.Serve.Url(), "--card", SmartCardFixture.RsaCard, "--pin-env", "MUTUALAUTH_TEST_CARD_PIN");

        Assert.True(result.ExitCode == 2, result.ToString()); // the variable is not set: a clear usage error
        var withPin = await Tool.Run("dotnet", [Tool.CliAssembly, "--data-dir", fixture.DataDirectory, "call", fixture.Serve.Url(), "--module", SoftHsm.Module, "--card", SmartCardFixture.RsaCard, "--pin-env", "MUTUALAUTH_TEST_CARD_PIN"],
            environment: new Dictionary<string, string> { ["MUTUALAUTH_TEST_CARD_PIN"] = SoftHsm.Pin });
        Assert.True(withPin.ExitCode == 0, withPin.ToString());
        Assert.Contains("\"hwk\"", withPin.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_also_signs_rfc_9421_requests_for_a_credential_registered_with_its_public_key()
    {
        var result = await Call(fixture.Serve.Url("/signed/x"), "--card", SmartCardFixture.Card, "--key-id", SmartCardFixture.SignatureClient, "--pin-file", fixture.PinFile);

        Assert.True(result.ExitCode == 3 && result.StdErr.Contains("404", StringComparison.Ordinal), result.ToString()); // no endpoint there: past authentication
        Assert.True(await fixture.Serve.WaitForOutput($"accept sig subject '{SmartCardFixture.SignatureClient}'"), fixture.Serve.Output);
    }

    [Theory]
    [InlineData(SmartCardFixture.Card, "1.2")]
    [InlineData(SmartCardFixture.Card, "1.3")]
    [InlineData(SmartCardFixture.RsaCard, "1.2")]
    [InlineData(SmartCardFixture.RsaCard, "1.3")]
    public async Task Curl_with_the_card_key_through_the_pkcs11_engine_is_accepted(string card, string version)
    {
        var result = await Tool.Run("curl", ["-sS", "--fail", $"--tlsv{version}", "--tls-max", version, "--engine", "pkcs11", "--key-type", "ENG", "--key", SmartCardFixture.KeyUri(card),
            "--pass", SoftHsm.Pin, "--cert", fixture.ChainOf(card), "--cacert", fixture.Root, fixture.Serve.Url()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"hwk\"", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_s_client_with_the_card_key_through_the_engine_is_accepted()
    {
        var result = await Tool.Run("openssl", ["s_client", "-quiet", "-engine", "pkcs11", "-keyform", "engine", "-key", SmartCardFixture.CardKeyUri, "-pass", "file:" + fixture.PinFile,
            "-cert", fixture.CardChain, "-CAfile", fixture.Root, "-verify_return_error", "-connect", $"127.0.0.1:{fixture.Serve.Port}", "-servername", "localhost"],
            stdin: "GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Contains("\"hwk\"", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pkcs11_tool_sees_a_never_extractable_key_and_the_certificate_enrolment_wrote()
    {
        var (exitCode, output) = await SoftHsm.Pkcs11Tool(SoftHsm.EnrolToken, "--list-objects");

        Assert.Equal(0, exitCode);
        Assert.Contains("Certificate Object", output, StringComparison.Ordinal);
        Assert.Contains($"label:      {SmartCardFixture.Card}", output, StringComparison.Ordinal);
        Assert.Contains("never extractable", output, StringComparison.Ordinal);
        Assert.Contains("sensitive", output, StringComparison.Ordinal);
        var status = await fixture.Cli("card", "status");
        Assert.Contains("hardware-key policy", status.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pin_never_appears_in_logs_output_or_the_process_list()
    {
        var ps = await Tool.Run("ps", ["-eo", "args"]);

        Assert.DoesNotContain(SoftHsm.Pin, fixture.Serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.Pin, string.Join('\n', fixture.Output), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.Pin, ps.StdOut.Split('\n').Where(l => !l.Contains("curl", StringComparison.Ordinal)).Aggregate("", string.Concat), StringComparison.Ordinal);
    }

    private Task<ProcessResult> Call(string url, params string[] args) =>
        Tool.MutualAuth(["--data-dir", fixture.DataDirectory, "call", url, "--module", SoftHsm.Module, .. args]);
}
