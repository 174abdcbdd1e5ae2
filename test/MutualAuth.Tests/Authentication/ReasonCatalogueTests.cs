using System.Text.RegularExpressions;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.MessageSignatures;
using MutualAuth.Scram;

namespace MutualAuth.Tests.Authentication;

public sealed partial class ReasonCatalogueTests
{
    public static TheoryData<string> Methods => ["certificate", "scram", "signature", "token", "webauthn", "store"];

    private static IReadOnlyList<ReasonCode> Catalogue(string method) => method switch
    {
        "certificate" => CertificateReasons.All,
        "scram" => ScramReasons.All,
        "signature" => SignatureReasons.All,
        "token" => TokenReasons.All,
        "webauthn" => WebAuthnReasons.All,
        "store" => StoreReasons.All,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static List<string> Contract(string method) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "reason-codes", method + ".txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_catalogue_equals_the_contract_file(string method) =>
        Assert.Equal(Contract(method), Catalogue(method).Select(c => c.Value));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Codes_are_kebab_case_and_unique(string method)
    {
        var codes = Catalogue(method).Select(c => c.Value).ToList();
        Assert.All(codes, c => Assert.Matches(KebabCase(), c));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_chain_failure_has_a_catalogue_code() =>
        Assert.All(Enum.GetValues<ChainFailureReason>(), r => Assert.Contains(r.ToReasonCode(), CertificateReasons.All));

    [Fact]
    public void Every_scram_error_has_a_catalogue_code() =>
        Assert.All(Enum.GetValues<ScramError>(), e => Assert.Contains(e.ToReasonCode(), ScramReasons.All));

    [Fact]
    public void Every_signature_failure_has_a_catalogue_code() =>
        Assert.All(Enum.GetValues<SignatureVerificationFailure>(), f => Assert.Contains(f.ToReasonCode(), SignatureReasons.All));

    [Fact]
    public void Every_content_digest_failure_has_a_catalogue_code() =>
        Assert.All(Enum.GetValues<ContentDigestResult>().Where(r => r != ContentDigestResult.Valid),
            r => Assert.Contains(new ReasonCode(ContentDigest.ReasonCode(r)), SignatureReasons.All));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
