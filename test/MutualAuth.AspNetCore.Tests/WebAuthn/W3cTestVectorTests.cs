using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Testing.WebAuthn;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>
/// The W3C WebAuthn Level 3 test vectors (§16, test/testdata/webauthn/w3c) through both ceremonies: each vector's
/// registration and authentication under our default policy and under the policy that admits it.
/// </summary>
public sealed partial class W3cTestVectorTests
{
    private const string Origin = "https://example.org";
    private const string User = "alice";
    private static readonly Guid OtherAaguid = Guid.Parse("00000000-0000-0000-0000-000000000001");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryWebAuthnStores _stores = new();

    [Theory]
    [InlineData("none.ES256", "default", "user-not-verified")] // flags UP BE BS: no UV
    [InlineData("none.ES256", "admit", "ok")]
    [InlineData("packed-self.ES256", "default", "attestation-not-allowed")]
    [InlineData("packed-self.ES256", "other-aaguid", "aaguid-not-allowed")]
    [InlineData("packed-self.ES256", "admit", "ok")]
    [InlineData("none.ES256.crossOrigin", "default", "cross-origin")]
    [InlineData("none.ES256.crossOrigin", "admit", "ok")]
    [InlineData("none.ES256.topOrigin", "default", "cross-origin")]
    [InlineData("none.ES256.topOrigin", "no-top-origin", "cross-origin")] // cross-origin allowed, https://example.com not listed
    [InlineData("none.ES256.topOrigin", "admit", "ok")]
    [InlineData("none.ES256.long-credential-id", "default", "user-not-verified")]
    [InlineData("none.ES256.long-credential-id", "admit", "ok")] // 1023 bytes: the largest id allowed
    [InlineData("packed.ES256", "default", "attestation-not-allowed")]
    [InlineData("packed.ES256", "other-aaguid", "aaguid-not-allowed")]
    [InlineData("packed.ES256", "admit", "ok")]
    [InlineData("packed.RS256", "default", "attestation-not-allowed")]
    [InlineData("packed.RS256", "admit", "ok")]
    [InlineData("packed.EdDSA", "default", "user-not-verified")]
    [InlineData("packed.EdDSA", "admit", "ok")]
    public async Task Registration(string name, string policy, string reason)
    {
        var vector = Read(name);
        var outcome = await RegisterAsync(vector, Policy(policy, vector));

        Assert.True(outcome.Reason.Value == reason, $"expected {reason}, got {outcome.Reason}: {outcome.Detail}");
        if (outcome.Succeeded)
        {
            var stored = Assert.Single(_stores.All);
            Assert.Equal(vector["registration.credential_id"], stored.CredentialId);
            Assert.Equal(new Guid(vector["registration.aaguid"], bigEndian: true), stored.Aaguid);
        }
    }

    [Theory]
    [InlineData("none.ES256", "default", "user-not-verified")] // flags UP BE BS
    [InlineData("none.ES256", "admit", "ok")]
    [InlineData("packed-self.ES256", "default", "user-not-verified")]
    [InlineData("packed-self.ES256", "admit", "ok")]
    [InlineData("none.ES256.crossOrigin", "default", "cross-origin")]
    [InlineData("none.ES256.crossOrigin", "admit", "ok")]
    [InlineData("none.ES256.topOrigin", "default", "cross-origin")]
    [InlineData("none.ES256.topOrigin", "admit", "ok")]
    [InlineData("none.ES256.long-credential-id", "default", "ok")] // flags UP UV BE
    [InlineData("packed.ES256", "default", "ok")]
    [InlineData("packed.RS256", "default", "user-not-verified")]
    [InlineData("packed.RS256", "admit", "ok")]
    [InlineData("packed.EdDSA", "default", "user-not-verified")]
    [InlineData("packed.EdDSA", "admit", "ok")]
    public async Task Authentication(string name, string policy, string reason)
    {
        var vector = Read(name);
        var registered = await RegisterAsync(vector, Policy("admit", vector));
        Assert.True(registered.Succeeded, registered.Detail);

        var outcome = await LoginAsync(vector, Policy(policy, vector));

        Assert.True(outcome.Reason.Value == reason, $"expected {reason}, got {outcome.Reason}: {outcome.Detail}");
        if (outcome.Succeeded)
        {
            Assert.Equal(User, outcome.UserName);
            Assert.Equal(0u, Assert.Single(_stores.All).SignCount); // the vectors' authenticators keep no counter
        }
    }

    [Theory]
    [InlineData("none.ES256")]
    [InlineData("packed-self.ES256")]
    [InlineData("none.ES256.crossOrigin")]
    [InlineData("none.ES256.topOrigin")]
    [InlineData("none.ES256.long-credential-id")]
    [InlineData("packed.ES256")]
    [InlineData("packed.RS256")]
    [InlineData("packed.EdDSA")]
    public async Task A_changed_signature_or_challenge_is_refused(string name)
    {
        var vector = Read(name);
        Assert.True((await RegisterAsync(vector, Policy("admit", vector))).Succeeded);

        var signature = vector["authentication.signature"];
        signature[^1] ^= 0x01;
        Assert.Equal("invalid-signature", (await LoginAsync(vector, Policy("admit", vector))).Reason.Value);
        signature[^1] ^= 0x01;

        vector["authentication.challenge"][0] ^= 0x01;
        Assert.Equal("challenge-mismatch", (await LoginAsync(vector, Policy("admit", vector))).Reason.Value);
    }

    /// <summary>Our default policy for the vectors' origin, or one that admits what the vector needs.</summary>
    private static WebAuthnPolicy Policy(string name, Dictionary<string, byte[]> vector)
    {
        var policy = new WebAuthnPolicy { Origin = Origin };
        var admit = policy with
        {
            RequireUserVerification = false,
            AllowCrossOrigin = true,
            AllowedTopOrigins = new HashSet<string>(["https://example.com"], StringComparer.Ordinal),
            AllowedAaguids = new HashSet<Guid>([new Guid(vector["registration.aaguid"], bigEndian: true)]),
        };
        return name switch
        {
            "default" => policy,
            "admit" => admit,
            "other-aaguid" => admit with { AllowedAaguids = new HashSet<Guid>([OtherAaguid]) },
            "no-top-origin" => admit with { AllowedTopOrigins = new HashSet<string>() },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private async Task<WebAuthnOutcome> RegisterAsync(Dictionary<string, byte[]> vector, WebAuthnPolicy policy)
    {
        var party = Party(policy);
        var (id, _) = await party.BeginRegistrationAsync(User, default);
        await StoredChallenge.SetAsync(_stores, id, WebAuthnRelyingParty.RegisterPurpose, vector["registration.challenge"], _time.GetUtcNow());
        var credentialId = Base64Url.EncodeToString(vector["registration.credential_id"]);
        return await party.FinishRegistrationAsync(id, Json(new JsonObject
        {
            ["id"] = credentialId,
            ["rawId"] = credentialId,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(vector["registration.clientDataJSON"]),
                ["attestationObject"] = Base64Url.EncodeToString(vector["registration.attestationObject"]),
            },
            ["clientExtensionResults"] = new JsonObject(),
        }), default);
    }

    private async Task<WebAuthnOutcome> LoginAsync(Dictionary<string, byte[]> vector, WebAuthnPolicy policy)
    {
        var party = Party(policy);
        var (id, _) = await party.BeginLoginAsync(User, null, default);
        await StoredChallenge.SetAsync(_stores, id, WebAuthnRelyingParty.LoginPurpose, vector["authentication.challenge"], _time.GetUtcNow());
        var credentialId = Base64Url.EncodeToString(vector["registration.credential_id"]);
        return await party.FinishLoginAsync(id, Json(new JsonObject
        {
            ["id"] = credentialId,
            ["rawId"] = credentialId,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(vector["authentication.clientDataJSON"]),
                ["authenticatorData"] = Base64Url.EncodeToString(vector["authentication.authenticatorData"]),
                ["signature"] = Base64Url.EncodeToString(vector["authentication.signature"]),
            },
            ["clientExtensionResults"] = new JsonObject(),
        }), default);
    }

    private WebAuthnRelyingParty Party(WebAuthnPolicy policy) => new(new WebAuthnOptions { Policy = policy, Credentials = _stores, Challenges = _stores }, _time);

    /// <summary>Reads a vector file: <c>name = h'hex'</c> lines as in the specification, <c>;</c> comments.</summary>
    private static Dictionary<string, byte[]> Read(string name) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "webauthn", "w3c", name + ".txt"))
            .Select(line => VectorLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => Convert.FromHexString(m.Groups[2].Value), StringComparer.Ordinal);

    private static JsonElement Json(JsonObject node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    [GeneratedRegex("^([A-Za-z_.]+) = h'([0-9a-f]*)'$")]
    private static partial Regex VectorLine();
}
