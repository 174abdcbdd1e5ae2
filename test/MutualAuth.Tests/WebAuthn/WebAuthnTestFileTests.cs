using System.Buffers.Text;
using System.Text.Json;
using MutualAuth.Authentication;
using MutualAuth.WebAuthn;

namespace MutualAuth.Tests.WebAuthn;

/// <summary>Our relying-party checks over fido2-net-lib's test files: real browser and authenticator output (test/testdata/webauthn).</summary>
public sealed class WebAuthnTestFileTests
{
    private static readonly WebAuthnPolicy Policy = new() { Origin = "https://localhost:44329" };

    private static JsonElement Read(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "webauthn", "fido2-net-lib", name))).RootElement;

    private static byte[] Field(JsonElement response, string name) => Base64Url.DecodeFromChars(response.GetProperty("response").GetProperty(name).GetString());

    [Fact]
    public void The_assertion_passes_the_client_data_checks_and_its_missing_UV_is_caught()
    {
        var options = Read("assertionNoneOptions.json");
        var response = Read("assertionNoneResponse.json");
        var challenge = options.GetProperty("challenge").GetString()!;

        Assert.Null(WebAuthnChecks.ClientData(Field(response, "clientDataJSON"), "webauthn.get", challenge, Policy));
        Assert.Equal(WebAuthnReasons.ChallengeMismatch, WebAuthnChecks.ClientData(Field(response, "clientDataJSON"), "webauthn.create", challenge, Policy)?.Reason);
        Assert.Equal(WebAuthnReasons.OriginMismatch, WebAuthnChecks.ClientData(Field(response, "clientDataJSON"), "webauthn.get", challenge, Policy with { Origin = "https://localhost:44330" })?.Reason);

        var authenticatorData = Field(response, "authenticatorData");
        // UP only (flags 0x01): refused where UV is required (our default), accepted where it is not.
        Assert.Equal(WebAuthnReasons.UserNotVerified, WebAuthnChecks.AuthenticatorData(authenticatorData, Policy, out var flags, out var counter)?.Reason);
        Assert.Equal(AuthenticatorFlags.UserPresent, flags);
        Assert.Equal(52u, counter);
        Assert.Null(WebAuthnChecks.AuthenticatorData(authenticatorData, Policy with { RequireUserVerification = false }, out _, out _));
    }

    [Fact]
    public void The_TPM_registration_is_read_and_refused_without_UV()
    {
        var options = Read("attestationTPMSHA1Options.json");
        var response = Read("attestationTPMSHA1Response.json");

        Assert.Null(WebAuthnChecks.ClientData(Field(response, "clientDataJSON"), "webauthn.create", options.GetProperty("challenge").GetString()!, Policy));
        var attestation = AttestationObject.TryRead(Field(response, "attestationObject"), out var tooLarge);
        Assert.False(tooLarge);
        Assert.NotNull(attestation);
        Assert.Equal("tpm", attestation.Format);
        Assert.Equal(Base64Url.DecodeFromChars(response.GetProperty("rawId").GetString()), attestation.CredentialId);
        // UP and AT, no UV (flags 0x41).
        Assert.Equal(WebAuthnReasons.UserNotVerified, WebAuthnChecks.AuthenticatorData(attestation.AuthenticatorData, Policy, out var flags, out _)?.Reason);
        Assert.Equal(AuthenticatorFlags.UserPresent | AuthenticatorFlags.AttestedCredentialData, flags);
    }

    [Theory]
    [InlineData("https://localhost:8443", true)]
    [InlineData("https://example.com", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("https://example.com:443", false)]
    [InlineData("https://Example.com", false)]
    [InlineData("https://example.com/", false)]
    [InlineData("http://example.com", false)]
    [InlineData("https://user@example.com", false)]
    [InlineData("https://127.0.0.1:8443", false)]
    public void Only_serialised_origins_can_be_configured(string origin, bool valid) => Assert.Equal(valid, WebOrigin.IsSerialised(origin));

    [Theory]
    [InlineData("{\"type\":\"webauthn.get\",\"challenge\":\"x\",\"origin\":\"o\",\"type\":\"webauthn.get\"}")]
    [InlineData("{\"type\":\"webauthn.get\",\"challenge\":\"x\"}")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"webauthn.get\",\"challenge\":\"x\",\"origin\":\"o\"} {}")]
    [InlineData("{\"type\":1,\"challenge\":\"x\",\"origin\":\"o\"}")]
    public void Malformed_client_data_is_refused(string json) => Assert.Null(CollectedClientData.TryParse(System.Text.Encoding.UTF8.GetBytes(json)));
}
