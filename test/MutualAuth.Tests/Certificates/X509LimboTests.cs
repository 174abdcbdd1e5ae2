using System.Text.Json;
using MutualAuth.Limbo;
using MutualAuth.Testing;
using Xunit.Abstractions;

namespace MutualAuth.Tests.Certificates;

/// <summary>The chain validator against the x509-limbo suite (C2SP), a suite we did not write.</summary>
public sealed class X509LimboTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_disagreement_with_x509_limbo_is_a_listed_exception()
    {
        var (folder, reason) = ConformanceData.Find("x509-limbo");
        Skip.If(folder is null, reason);
        using var limbo = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder!, "limbo.json")));
        var exceptions = LimboExceptions.Load(Path.Combine(AppContext.BaseDirectory, "exceptions.txt"));

        var results = LimboHarness.Run(limbo);

        var disagreements = results.Where(r => !r.Agrees && r.ActualResult != "SKIPPED").ToList();
        foreach (var result in disagreements)
        {
            output.WriteLine($"{result.Id}: expected {result.ExpectedResult}, got {result.ActualResult}: {result.Context}");
        }

        output.WriteLine($"{results.Count(r => r.Agrees)} of {results.Count} agree; {results.Count(r => r.ActualResult == "SKIPPED")} skipped");
        Assert.Empty(disagreements.Where(r => !exceptions.ContainsKey(r.Id)).Select(r => $"{r.Id}: expected {r.ExpectedResult}, got {r.ActualResult} ({r.Context})"));
        // exceptions.txt also lists cases of the current upstream suite that this older file lacks; a listed case that is here must still disagree.
        Assert.Empty(results.Where(r => r.Agrees && exceptions.ContainsKey(r.Id)).Select(r => "listed as an exception but agrees: " + r.Id));
        Assert.True(results.Count >= 90, $"only {results.Count} testcases were read");
    }

    [Theory]
    [InlineData("\"future_constraint\": [\"x\"]", "future_constraint")]
    [InlineData("\"expected_peer_names\": [{\"kind\": \"SRV\", \"value\": \"_x.a.example\"}]", "SRV")]
    [InlineData("\"signature_algorithms\": [\"SOMETHING_NEW\"]", "SOMETHING_NEW")]
    [InlineData("\"key_usage\": [\"somethingNew\"]", "somethingNew")]
    public void The_harness_skips_what_it_does_not_honour_and_says_why(string field, string named)
    {
        using var testcase = JsonDocument.Parse($$"""
            {"id": "x::y", "expected_result": "SUCCESS", "validation_kind": "SERVER", "trusted_certs": [], "untrusted_intermediates": [],
             "peer_certificate": "", "crls": [], {{field}} }
            """);

        var result = LimboHarness.Evaluate(testcase.RootElement);

        Assert.Equal("SKIPPED", result.ActualResult);
        Assert.Contains(named, result.Context, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo@example.com", "SUCCESS")]
    [InlineData("foo@EXAMPLE.com", "SUCCESS")]
    [InlineData("bar@example.com", "FAILURE")]
    public void The_harness_checks_every_expected_peer_name_including_mailboxes(string mailbox, string outcome)
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, addSan: false, extend: r =>
        {
            var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            san.AddEmailAddress("foo@example.com");
            r.CertificateExtensions.Add(san.Build());
        });
        var testcase = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "x::mailbox",
            ["expected_result"] = outcome,
            ["validation_kind"] = "CLIENT",
            ["trusted_certs"] = new System.Text.Json.Nodes.JsonArray(root.Certificate.ExportCertificatePem()),
            ["untrusted_intermediates"] = new System.Text.Json.Nodes.JsonArray(),
            ["peer_certificate"] = leaf.Certificate.ExportCertificatePem(),
            ["validation_time"] = RawPki.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["extended_key_usage"] = new System.Text.Json.Nodes.JsonArray("clientAuth"),
            ["expected_peer_name"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "DNS", ["value"] = "example.com" },
            ["expected_peer_names"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["kind"] = "RFC822", ["value"] = mailbox }),
        };
        using var document = JsonDocument.Parse(testcase.ToJsonString());

        var result = LimboHarness.Evaluate(document.RootElement);

        Assert.True(result.Agrees, result.Context);
    }

    [Theory]
    [InlineData("ECDSA_WITH_SHA256", "SUCCESS")]
    [InlineData("ECDSA_WITH_SHA384,RSA_WITH_SHA256", "FAILURE")]
    public void The_harness_honours_the_callers_signature_algorithms(string algorithms, string outcome)
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Raw Intermediate");
        var leaf = RawPki.Leaf(intermediate);
        var testcase = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "x::signature-algorithms",
            ["expected_result"] = outcome,
            ["validation_kind"] = "SERVER",
            ["trusted_certs"] = new System.Text.Json.Nodes.JsonArray(root.Certificate.ExportCertificatePem()),
            ["untrusted_intermediates"] = new System.Text.Json.Nodes.JsonArray(intermediate.Certificate.ExportCertificatePem()),
            ["peer_certificate"] = leaf.Certificate.ExportCertificatePem(),
            ["validation_time"] = RawPki.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["signature_algorithms"] = new System.Text.Json.Nodes.JsonArray([.. algorithms.Split(',').Select(a => (System.Text.Json.Nodes.JsonNode)a)]),
            ["expected_peer_name"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "DNS", ["value"] = "leaf.example.com" },
        };
        using var document = JsonDocument.Parse(testcase.ToJsonString());

        var result = LimboHarness.Evaluate(document.RootElement);

        Assert.True(result.Agrees, result.Context);
        Assert.StartsWith(outcome == "SUCCESS" ? "ok" : "forbidden-algorithm", result.Context, StringComparison.Ordinal);
    }

    [Fact]
    public void The_harness_writes_the_x509_limbo_result_format()
    {
        var json = LimboHarness.ToJson([new LimboResult("a::b", "SUCCESS", "FAILURE", "revoked: x")]);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("mutualauth", document.RootElement.GetProperty("harness").GetString());
        var result = document.RootElement.GetProperty("results")[0];
        Assert.Equal("a::b", result.GetProperty("id").GetString());
        Assert.Equal("FAILURE", result.GetProperty("actual_result").GetString());
        Assert.Equal("revoked: x", result.GetProperty("context").GetString());
    }
}
