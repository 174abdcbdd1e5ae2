using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Testing.WebAuthn;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>
/// fido2-net-lib's recorded registrations (test/testdata/webauthn/fido2-net-lib: real authenticators and browsers) through
/// the registration ceremony, with the outcome our policy gives: attestation <c>none</c> by default, <c>packed</c> only
/// with an AAGUID allow-list, every other format refused whatever the allow-list says.
/// </summary>
public sealed class Fido2NetLibFileTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryWebAuthnStores _stores = new();

    [Theory]
    // Default policy (UV required): all but Apple's were made without UV (flags 0x41). The Apple file's rawId is the
    // Android file's, not the credential id in its authenticator data: refused as malformed before its format is looked at.
    [InlineData("attestationNoneOptions.json", "attestationNoneResponse.json", "default", "user-not-verified")]
    [InlineData("attestationOptionsU2F.json", "attestationResultsU2F.json", "default", "user-not-verified")]
    [InlineData("attestationOptionsPacked512.json", "attestationResultsPacked512.json", "default", "user-not-verified")]
    [InlineData("attestationAndroidKeyOptions.json", "attestationAndroidKeyResponse.json", "default", "user-not-verified")]
    [InlineData("attestationTPMSHA1Options.json", "attestationTPMSHA1Response.json", "default", "user-not-verified")]
    [InlineData("attestationAppleOptions.json", "attestationAppleResponse.json", "default", "malformed-request")]
    // UV not required, no allow-list: only attestation none.
    [InlineData("attestationNoneOptions.json", "attestationNoneResponse.json", "no-uv", "ok")]
    [InlineData("attestationOptionsU2F.json", "attestationResultsU2F.json", "no-uv", "attestation-not-allowed")]
    [InlineData("attestationOptionsPacked512.json", "attestationResultsPacked512.json", "no-uv", "attestation-not-allowed")]
    [InlineData("attestationAndroidKeyOptions.json", "attestationAndroidKeyResponse.json", "no-uv", "attestation-not-allowed")]
    [InlineData("attestationTPMSHA1Options.json", "attestationTPMSHA1Response.json", "no-uv", "attestation-not-allowed")]
    [InlineData("attestationAppleOptions.json", "attestationAppleResponse.json", "no-uv", "malformed-request")]
    // UV not required, the file's AAGUID on the allow-list: packed goes to Fido2, which refuses the ES512 credential (we
    // offer ES256, PS256, RS256 and Ed25519); the other formats are still refused.
    [InlineData("attestationNoneOptions.json", "attestationNoneResponse.json", "allow-list", "ok")]
    [InlineData("attestationOptionsPacked512.json", "attestationResultsPacked512.json", "allow-list", "invalid-signature")]
    [InlineData("attestationOptionsPacked512.json", "attestationResultsPacked512.json", "other-aaguid", "aaguid-not-allowed")]
    [InlineData("attestationOptionsU2F.json", "attestationResultsU2F.json", "allow-list", "attestation-not-allowed")]
    [InlineData("attestationAndroidKeyOptions.json", "attestationAndroidKeyResponse.json", "allow-list", "attestation-not-allowed")]
    [InlineData("attestationTPMSHA1Options.json", "attestationTPMSHA1Response.json", "allow-list", "attestation-not-allowed")]
    [InlineData("attestationAppleOptions.json", "attestationAppleResponse.json", "allow-list", "malformed-request")]
    public async Task Registration(string optionsFile, string responseFile, string policy, string reason)
    {
        var options = Read(optionsFile);
        var response = Read(responseFile);
        var clientData = JsonDocument.Parse(Base64Url.DecodeFromChars(response.GetProperty("response").GetProperty("clientDataJSON").GetString())).RootElement;
        var attestation = AttestationObject.TryRead(Base64Url.DecodeFromChars(response.GetProperty("response").GetProperty("attestationObject").GetString()), out _)!;
        var aaguid = new Guid(attestation.AuthenticatorData.AsSpan(WebAuthnChecks.AuthenticatorDataHeaderBytes, 16), bigEndian: true);
        var basePolicy = new WebAuthnPolicy { Origin = clientData.GetProperty("origin").GetString()!, RpId = options.GetProperty("rp").GetProperty("id").GetString() };
        var chosen = policy switch
        {
            "default" => basePolicy,
            "no-uv" => basePolicy with { RequireUserVerification = false },
            "allow-list" => basePolicy with { RequireUserVerification = false, AllowedAaguids = new HashSet<Guid>([aaguid]) },
            "other-aaguid" => basePolicy with { RequireUserVerification = false, AllowedAaguids = new HashSet<Guid>([Guid.Parse("00000000-0000-0000-0000-000000000001")]) },
            _ => throw new ArgumentOutOfRangeException(nameof(policy)),
        };

        var party = new WebAuthnRelyingParty(new WebAuthnOptions { Policy = chosen, Credentials = _stores, Challenges = _stores }, _time);
        var (id, _) = await party.BeginRegistrationAsync("alice", default);
        await StoredChallenge.SetAsync(_stores, id, WebAuthnRelyingParty.RegisterPurpose, Base64Url.DecodeFromChars(options.GetProperty("challenge").GetString()), _time.GetUtcNow());
        var outcome = await party.FinishRegistrationAsync(id, response, default);

        Assert.True(outcome.Reason.Value == reason, $"expected {reason}, got {outcome.Reason}: {outcome.Detail}");
        if (outcome.Succeeded)
        {
            Assert.Equal(attestation.CredentialId, Assert.Single(_stores.All).CredentialId);
            Assert.Equal(aaguid, _stores.All[0].Aaguid);
        }
    }

    private static JsonElement Read(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "webauthn", "fido2-net-lib", name))).RootElement.Clone();
}
