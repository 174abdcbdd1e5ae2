using System.Formats.Cbor;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;
using MutualAuth.Testing.WebAuthn;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>The ceremonies against a software authenticator whose every output can be bent: each of our checks refuses with its code, never an exception.</summary>
public sealed class WebAuthnRelyingPartyTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryWebAuthnStores _stores = new();
    private readonly SoftwareAuthenticator _authenticator = new();
    private WebAuthnPolicy _policy = new() { Origin = "https://localhost:8443" };

    private WebAuthnRelyingParty Party => new(new WebAuthnOptions { Policy = _policy, Credentials = _stores, Challenges = _stores }, _time);

    public void Dispose() => _authenticator.Dispose();

    private async Task<WebAuthnOutcome> RegisterAsync(string user = "alice", Func<JsonElement, JsonElement>? answer = null)
    {
        var (id, options) = await Party.BeginRegistrationAsync(user, default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        return await Party.FinishRegistrationAsync(id, answer?.Invoke(publicKey) ?? _authenticator.Create(publicKey), default);
    }

    private async Task<WebAuthnOutcome> LoginAsync(string? user = "alice", Func<JsonElement, JsonElement>? answer = null)
    {
        var (id, options) = await Party.BeginLoginAsync(user, null, default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        return await Party.FinishLoginAsync(id, answer?.Invoke(publicKey) ?? _authenticator.Get(publicKey), default);
    }

    private async Task RegisteredAsync()
    {
        var registered = await RegisterAsync();
        Assert.True(registered.Succeeded, registered.Detail);
    }

    [Fact]
    public async Task Register_then_log_in_with_user_verification()
    {
        await RegisteredAsync();
        var login = await LoginAsync();

        Assert.True(login.Succeeded, login.Detail);
        Assert.Equal("alice", login.UserName);
        Assert.True(login.UserVerified);
        Assert.Equal(1u, _stores.All.Single().SignCount);
        var identity = WebAuthnAuthenticationHandler.Identity(login.Credential!, login.UserVerified);
        Assert.Equal([AuthenticationMethods.AmrHardwareKey, AuthenticationMethods.AmrUserPresence], identity.Amr);
        Assert.Equal(AuthenticationMethods.WebAuthn, identity.Method);
    }

    [Fact]
    public async Task The_options_ask_for_user_verification_and_attestation_none()
    {
        var (_, options) = await Party.BeginRegistrationAsync("alice", default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        Assert.Equal("required", publicKey.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("none", publicKey.GetProperty("attestation").GetString());
        Assert.Equal("localhost", publicKey.GetProperty("rp").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_login_without_UV_is_refused()
    {
        await RegisteredAsync();
        _authenticator.Flags = SoftwareAuthenticator.Up;
        await AssertRefused(WebAuthnReasons.UserNotVerified, await LoginAsync());
    }

    [Fact]
    public async Task A_registration_without_UV_is_refused()
    {
        _authenticator.Flags = SoftwareAuthenticator.Up;
        await AssertRefused(WebAuthnReasons.UserNotVerified, await RegisterAsync());
        Assert.Empty(_stores.All);
    }

    [Fact]
    public async Task Without_UP_is_refused()
    {
        await RegisteredAsync();
        _authenticator.Flags = SoftwareAuthenticator.Uv;
        await AssertRefused(WebAuthnReasons.UserNotPresent, await LoginAsync());
    }

    [Fact]
    public async Task A_policy_that_does_not_require_UV_accepts_UP_only()
    {
        _policy = _policy with { RequireUserVerification = false };
        await RegisteredAsync();
        _authenticator.Flags = SoftwareAuthenticator.Up;
        var login = await LoginAsync();
        Assert.True(login.Succeeded, login.Detail);
        Assert.False(login.UserVerified);
        Assert.DoesNotContain(AuthenticationMethods.AmrUserPresence, WebAuthnAuthenticationHandler.Identity(login.Credential!, login.UserVerified).Amr);
    }

    [Theory]
    [InlineData(false, true)] // BE appears on a device-bound credential
    [InlineData(true, false)] // BE disappears from a synced one
    public async Task A_BE_flip_is_refused(bool registeredEligible, bool presentedEligible)
    {
        _authenticator.Flags = (byte)(SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv | (registeredEligible ? SoftwareAuthenticator.Be : 0));
        await RegisteredAsync();
        _authenticator.Flags = (byte)(SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv | (presentedEligible ? SoftwareAuthenticator.Be : 0));
        await AssertRefused(WebAuthnReasons.BackupEligibilityChanged, await LoginAsync());
    }

    [Fact]
    public async Task BS_without_BE_is_refused_at_registration_and_login()
    {
        _authenticator.Flags = SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv | SoftwareAuthenticator.Bs;
        await AssertRefused(WebAuthnReasons.InvalidBackupState, await RegisterAsync());
        _authenticator.Flags = SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv;
        await RegisteredAsync();
        _authenticator.Flags = SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv | SoftwareAuthenticator.Bs;
        await AssertRefused(WebAuthnReasons.InvalidBackupState, await LoginAsync());
    }

    [Fact]
    public async Task A_synced_passkey_is_swk_and_its_BS_change_is_recorded()
    {
        _authenticator.Flags = SoftwareAuthenticator.Up | SoftwareAuthenticator.Uv | SoftwareAuthenticator.Be;
        await RegisteredAsync();
        _authenticator.Flags |= SoftwareAuthenticator.Bs;
        var login = await LoginAsync();
        Assert.True(login.Succeeded, login.Detail);
        Assert.True(_stores.All.Single().BackedUp);
        Assert.Equal(AuthenticationMethods.AmrSoftwareKey, WebAuthnAuthenticationHandler.Identity(login.Credential!, true).Amr[0]);
    }

    [Theory]
    [InlineData(5u, 5u)]
    [InlineData(5u, 3u)]
    public async Task A_counter_that_does_not_increase_is_refused(uint first, uint second)
    {
        await RegisteredAsync();
        _authenticator.Counter = first - 1;
        Assert.True((await LoginAsync()).Succeeded);
        _authenticator.Counter = second - 1;
        await AssertRefused(WebAuthnReasons.CounterRegression, await LoginAsync());
    }

    [Fact]
    public async Task An_authenticator_without_a_counter_stays_at_zero()
    {
        await RegisteredAsync();
        for (var i = 0; i < 2; i++)
        {
            _authenticator.Counter = uint.MaxValue; // Get adds one: 0
            Assert.True((await LoginAsync()).Succeeded);
        }
    }

    [Theory]
    [InlineData("https://localhost:8444")] // port
    [InlineData("http://localhost:8443")] // scheme
    [InlineData("https://LOCALHOST:8443")] // case
    [InlineData("https://localhost:8443/")] // trailing slash
    [InlineData("https://evil.localhost:8443")]
    public async Task Another_origin_is_refused(string origin)
    {
        await RegisteredAsync();
        _authenticator.Origin = origin;
        await AssertRefused(WebAuthnReasons.OriginMismatch, await LoginAsync());
        await AssertRefused(WebAuthnReasons.OriginMismatch, await RegisterAsync("bob"));
    }

    [Fact]
    public async Task The_default_port_written_out_is_another_origin()
    {
        _policy = new WebAuthnPolicy { Origin = "https://example.com" };
        _authenticator.RpId = "example.com";
        _authenticator.Origin = "https://example.com:443";
        await AssertRefused(WebAuthnReasons.OriginMismatch, await RegisterAsync());
        _authenticator.Origin = "https://example.com";
        await RegisteredAsync();
    }

    [Fact]
    public async Task Another_RP_ID_is_refused()
    {
        await RegisteredAsync();
        _authenticator.RpId = "example.com";
        await AssertRefused(WebAuthnReasons.RpIdMismatch, await LoginAsync());
    }

    [Theory]
    [InlineData("crossOrigin", true)]
    [InlineData("topOrigin", "https://evil.example")]
    public async Task A_cross_origin_ceremony_is_refused(string member, object value)
    {
        await RegisteredAsync();
        _authenticator.ClientDataExtras[member] = JsonValue.Create(value);
        await AssertRefused(WebAuthnReasons.CrossOrigin, await LoginAsync());
    }

    [Fact]
    public async Task A_cross_origin_ceremony_is_accepted_only_from_a_configured_top_origin()
    {
        _policy = _policy with { AllowCrossOrigin = true, AllowedTopOrigins = new HashSet<string> { "https://portal.example" } };
        await RegisteredAsync();
        _authenticator.ClientDataExtras["crossOrigin"] = true;
        _authenticator.ClientDataExtras["topOrigin"] = "https://portal.example";
        var login = await LoginAsync();
        Assert.True(login.Succeeded, login.Detail);
        _authenticator.ClientDataExtras["topOrigin"] = "https://evil.example";
        await AssertRefused(WebAuthnReasons.CrossOrigin, await LoginAsync());
    }

    [Fact]
    public async Task A_repeated_clientData_member_is_refused()
    {
        await RegisteredAsync();
        var (id, options) = await Party.BeginLoginAsync("alice", null, default);
        var answer = _authenticator.Get(JsonDocument.Parse(options).RootElement);
        var clientData = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(answer.GetProperty("response").GetProperty("clientDataJSON").GetString()));
        var doubled = clientData.TrimEnd('}') + ",\"origin\":\"https://evil.example\"}";
        var node = JsonNode.Parse(answer.GetRawText())!;
        node["response"]!["clientDataJSON"] = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(doubled));
        await AssertRefused(WebAuthnReasons.MalformedRequest, await Party.FinishLoginAsync(id, JsonDocument.Parse(node.ToJsonString()).RootElement, default));
    }

    [Fact]
    public async Task A_challenge_is_used_once()
    {
        await RegisteredAsync();
        var (id, options) = await Party.BeginLoginAsync("alice", null, default);
        var answer = _authenticator.Get(JsonDocument.Parse(options).RootElement);
        Assert.True((await Party.FinishLoginAsync(id, answer, default)).Succeeded);
        await AssertRefused(WebAuthnReasons.UnknownChallenge, await Party.FinishLoginAsync(id, answer, default));
    }

    [Fact]
    public async Task An_expired_challenge_is_refused()
    {
        await RegisteredAsync();
        var (id, options) = await Party.BeginLoginAsync("alice", null, default);
        _time.Advance(_policy.ChallengeLifetime);
        await AssertRefused(WebAuthnReasons.UnknownChallenge, await Party.FinishLoginAsync(id, _authenticator.Get(JsonDocument.Parse(options).RootElement), default));
    }

    [Fact]
    public async Task A_registration_challenge_does_not_finish_a_login()
    {
        await RegisteredAsync();
        var (id, options) = await Party.BeginRegistrationAsync("alice", default);
        await AssertRefused(WebAuthnReasons.UnknownChallenge, await Party.FinishLoginAsync(id, _authenticator.Get(JsonDocument.Parse(options).RootElement), default));
    }

    [Fact]
    public async Task An_answer_to_another_challenge_is_refused()
    {
        await RegisteredAsync();
        var (_, first) = await Party.BeginLoginAsync("alice", null, default);
        var (second, _) = await Party.BeginLoginAsync("alice", null, default);
        await AssertRefused(WebAuthnReasons.ChallengeMismatch, await Party.FinishLoginAsync(second, _authenticator.Get(JsonDocument.Parse(first).RootElement), default));
    }

    [Fact]
    public async Task An_oversized_credential_id_is_refused_before_parsing()
    {
        _authenticator.CredentialId = new byte[WebAuthnPolicy.MaxCredentialIdBytes + 1];
        await AssertRefused(WebAuthnReasons.TooLarge, await RegisterAsync());
        await AssertRefused(WebAuthnReasons.TooLarge, await LoginAsync());
    }

    [Fact]
    public async Task Malformed_CBOR_is_refused()
    {
        foreach (var cbor in new[] { new byte[] { 0xa3, 0x63, 0x66 }, [0xff], [], new byte[20000], [0xa1, 0x63, (byte)'f', (byte)'m', (byte)'t', 0x64, (byte)'n', (byte)'o', (byte)'n', (byte)'e'] })
        {
            var outcome = await RegisterAsync(answer: o => _authenticator.AttestationJson(_authenticator.ClientData("webauthn.create", o.GetProperty("challenge").GetString()!), cbor));
            Assert.False(outcome.Succeeded);
            Assert.Contains(outcome.Reason, new[] { WebAuthnReasons.MalformedRequest, WebAuthnReasons.TooLarge });
        }
    }

    [Fact]
    public async Task A_COSE_key_that_is_not_one_is_refused()
    {
        var outcome = await RegisterAsync(answer: o =>
        {
            var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
            writer.WriteStartMap(3);
            writer.WriteTextString("fmt");
            writer.WriteTextString("none");
            writer.WriteTextString("attStmt");
            writer.WriteStartMap(0);
            writer.WriteEndMap();
            writer.WriteTextString("authData");
            byte[] id = [1, 2, 3, 4];
            writer.WriteByteString([.. System.Security.Cryptography.SHA256.HashData("localhost"u8), 0x45, 0, 0, 0, 0, .. new byte[16], 0, 4, .. id, 0xa1, 0x01, 0x63]);
            writer.WriteEndMap();
            _authenticator.CredentialId = id;
            return _authenticator.AttestationJson(_authenticator.ClientData("webauthn.create", o.GetProperty("challenge").GetString()!), writer.Encode());
        });
        Assert.False(outcome.Succeeded);
        Assert.Contains(outcome.Reason, new[] { WebAuthnReasons.MalformedRequest, WebAuthnReasons.InvalidSignature });
    }

    [Fact]
    public async Task Bad_signatures_are_refused()
    {
        await RegisteredAsync();
        await AssertRefused(WebAuthnReasons.InvalidSignature, await LoginAsync(answer: o => _authenticator.Get(o, s => { s[^1] ^= 1; return s; })));
        foreach (var garbage in new[] { Array.Empty<byte>(), [0x30, 0x02, 0x02, 0x00], new byte[72], new byte[2000] })
        {
            var outcome = await LoginAsync(answer: o => _authenticator.Get(o, _ => garbage));
            Assert.False(outcome.Succeeded);
            Assert.Contains(outcome.Reason, new[] { WebAuthnReasons.InvalidSignature, WebAuthnReasons.MalformedRequest, WebAuthnReasons.TooLarge });
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{\"rawId\":\"***\",\"response\":{}}")]
    [InlineData("{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}")]
    public async Task Malformed_credentials_are_refused_without_exceptions(string json)
    {
        await RegisteredAsync();
        var credential = JsonDocument.Parse(json).RootElement;
        var (loginId, _) = await Party.BeginLoginAsync("alice", null, default);
        Assert.False((await Party.FinishLoginAsync(loginId, credential, default)).Succeeded);
        var (registerId, _) = await Party.BeginRegistrationAsync("alice", default);
        Assert.False((await Party.FinishRegistrationAsync(registerId, credential, default)).Succeeded);
    }

    [Fact]
    public async Task Another_users_handle_is_refused()
    {
        await RegisteredAsync();
        _authenticator.UserHandle = new byte[32];
        await AssertRefused(WebAuthnReasons.UserHandleMismatch, await LoginAsync());
    }

    [Fact]
    public async Task Another_users_credential_is_refused()
    {
        await RegisteredAsync();
        await AssertRefused(WebAuthnReasons.UnknownCredential, await LoginAsync("bob"));
    }

    [Fact]
    public async Task A_second_passkey_keeps_the_users_handle_and_excludes_the_first()
    {
        await RegisteredAsync();
        var (_, options) = await Party.BeginRegistrationAsync("alice", default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(_stores.All[0].UserHandle), publicKey.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(_stores.All[0].CredentialId), publicKey.GetProperty("excludeCredentials")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_same_credential_cannot_be_registered_twice()
    {
        await RegisteredAsync();
        var again = await RegisterAsync("bob");
        Assert.False(again.Succeeded);
        Assert.Single(_stores.All);
    }

    [Fact]
    public async Task Packed_attestation_is_refused_by_default()
    {
        await AssertRefused(WebAuthnReasons.AttestationNotAllowed, await RegisterAsync(answer: o => _authenticator.Create(o, "packed")));
    }

    [Fact]
    public async Task Packed_attestation_needs_an_allowed_AAGUID()
    {
        _policy = _policy with { AllowedAaguids = new HashSet<Guid> { Guid.Parse("ee882879-721c-4913-9775-3dfcce97072a") } };
        await AssertRefused(WebAuthnReasons.AaguidNotAllowed, await RegisterAsync(answer: o => _authenticator.Create(o, "packed")));
    }

    [Fact]
    public async Task Removing_the_credential_ends_logins()
    {
        await RegisteredAsync();
        await _stores.RemoveAsync("alice");
        await AssertRefused(WebAuthnReasons.UnknownCredential, await LoginAsync());
    }

    private static Task AssertRefused(ReasonCode expected, WebAuthnOutcome outcome)
    {
        Assert.False(outcome.Succeeded, "accepted");
        Assert.True(expected == outcome.Reason, $"expected {expected}, got {outcome.Reason}: {outcome.Detail}");
        return Task.CompletedTask;
    }
}
