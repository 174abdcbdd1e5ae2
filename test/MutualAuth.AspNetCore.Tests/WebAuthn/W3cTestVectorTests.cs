using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Storage;
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

    /// <summary>The vectors no policy of ours registers (see <see cref="Registration"/>).</summary>
    private static readonly HashSet<string> RefusedAtRegistration =
        ["packed.ES384", "packed.ES512", "packed.Ed448", "tpm.ES256", "android-key.ES256", "apple.ES256", "fido-u2f.ES256"];

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
    [InlineData("packed.ES384", "default", "user-not-verified")]
    [InlineData("packed.ES384", "admit", "invalid-signature")] // Fido2: -35 is not among the algorithms we offer
    [InlineData("packed.ES512", "default", "attestation-not-allowed")]
    [InlineData("packed.ES512", "admit", "invalid-signature")] // nor -36
    [InlineData("packed.Ed448", "default", "user-not-verified")]
    [InlineData("packed.Ed448", "admit", "invalid-signature")] // Fido2 cannot verify Ed448 (-53)
    [InlineData("tpm.ES256", "default", "attestation-not-allowed")]
    [InlineData("tpm.ES256", "admit", "attestation-not-allowed")]
    [InlineData("android-key.ES256", "default", "attestation-not-allowed")]
    [InlineData("android-key.ES256", "admit", "attestation-not-allowed")]
    [InlineData("apple.ES256", "default", "user-not-verified")] // flags UP BE
    [InlineData("apple.ES256", "admit", "attestation-not-allowed")]
    [InlineData("fido-u2f.ES256", "default", "user-not-verified")]
    [InlineData("fido-u2f.ES256", "admit", "attestation-not-allowed")]
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
    [InlineData("packed.ES384")]
    [InlineData("packed.ES512")]
    [InlineData("tpm.ES256")]
    [InlineData("android-key.ES256")]
    [InlineData("apple.ES256")]
    [InlineData("fido-u2f.ES256")]
    public async Task A_changed_signature_or_challenge_is_refused(string name)
    {
        var vector = Read(name);
        await EnrolAsync(name, vector);

        var signature = vector["authentication.signature"];
        signature[^1] ^= 0x01;
        Assert.Equal("invalid-signature", (await LoginAsync(vector, Policy("admit", vector))).Reason.Value);
        signature[^1] ^= 0x01;

        vector["authentication.challenge"][0] ^= 0x01;
        Assert.Equal("challenge-mismatch", (await LoginAsync(vector, Policy("admit", vector))).Reason.Value);
    }

    [Theory]
    [InlineData("packed.ES384", "default", "ok")] // flags UP UV BE
    [InlineData("packed.ES512", "default", "user-not-verified")] // flags UP BE BS
    [InlineData("packed.ES512", "admit", "ok")]
    [InlineData("packed.Ed448", "default", "invalid-signature")] // Fido2 cannot verify Ed448: refused, never accepted
    [InlineData("tpm.ES256", "default", "ok")] // flags UP UV BE
    [InlineData("android-key.ES256", "default", "user-not-verified")] // flags UP BE
    [InlineData("android-key.ES256", "admit", "ok")]
    [InlineData("apple.ES256", "default", "user-not-verified")]
    [InlineData("apple.ES256", "admit", "ok")]
    [InlineData("fido-u2f.ES256", "default", "user-not-verified")] // flags UP
    [InlineData("fido-u2f.ES256", "admit", "ok")]
    public async Task Authentication_with_a_credential_our_registration_refuses(string name, string policy, string reason)
    {
        // Registration refuses these whatever the policy (format or algorithm), so the credential is stored as if
        // registered elsewhere (the record a registration writes): the authentication vector still runs through our ceremony.
        var vector = Read(name);
        await EnrolAsync(name, vector);

        var outcome = await LoginAsync(vector, Policy(policy, vector));

        Assert.True(outcome.Reason.Value == reason, $"expected {reason}, got {outcome.Reason}: {outcome.Detail}");
        if (outcome.Succeeded)
        {
            Assert.Equal(User, outcome.UserName);
            Assert.Equal(_time.GetUtcNow(), Assert.Single(_stores.All).LastUsedAt); // the use was recorded
        }
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

    /// <summary>Registers the vector under the admitting policy, or stores it directly when our registration refuses it.</summary>
    private async Task EnrolAsync(string name, Dictionary<string, byte[]> vector)
    {
        if (RefusedAtRegistration.Contains(name))
        {
            Assert.True(await _stores.AddAsync(StoredFromAttestation(vector, format: name[..name.IndexOf('.')])));
        }
        else
        {
            var registered = await RegisterAsync(vector, Policy("admit", vector));
            Assert.True(registered.Succeeded, registered.Detail);
        }
    }

    /// <summary>
    /// The record a registration of the vector would store: the COSE public key is what follows the AAGUID, the id length
    /// and the credential id in the attestation object (its authenticator data comes last and has no extensions).
    /// </summary>
    private WebAuthnCredentialRecord StoredFromAttestation(Dictionary<string, byte[]> vector, string format)
    {
        var attestationObject = vector["registration.attestationObject"];
        var credentialId = vector["registration.credential_id"];
        byte[] attested = [.. vector["registration.aaguid"], (byte)(credentialId.Length >> 8), (byte)credentialId.Length, .. credentialId];
        var at = attestationObject.AsSpan().IndexOf(attested);
        Assert.True(at > 0, "the credential id is not in the attestation object");
        var flags = attestationObject[at - 5];
        return new WebAuthnCredentialRecord(
            credentialId, User, [.. "alice"u8], attestationObject[(at + attested.Length)..], SignCount: 0,
            BackupEligible: (flags & 0x08) != 0, BackedUp: (flags & 0x10) != 0, new Guid(vector["registration.aaguid"], bigEndian: true),
            AttestationFormat: format, _time.GetUtcNow(), LastUsedAt: null);
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
