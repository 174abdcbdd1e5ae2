using System.Buffers.Text;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;
using MutualAuth.Testing.WebAuthn;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>Login options that do not tell which users exist, and logins without a user name (discoverable credentials).</summary>
public sealed class WebAuthnLoginOptionsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryWebAuthnStores _stores = new();
    private readonly SoftwareAuthenticator _authenticator = new();
    private byte[]? _userNameKey = new byte[32];

    private WebAuthnRelyingParty Party => new(new WebAuthnOptions
    {
        Policy = new WebAuthnPolicy { Origin = "https://localhost:8443" },
        Credentials = _stores,
        Challenges = _stores,
        UserNameKey = _userNameKey,
    }, _time);

    public void Dispose() => _authenticator.Dispose();

    private async Task RegisterAliceAsync()
    {
        var (id, options) = await Party.BeginRegistrationAsync("alice", default);
        var registered = await Party.FinishRegistrationAsync(id, _authenticator.Create(JsonDocument.Parse(options).RootElement), default);
        Assert.True(registered.Succeeded, registered.Detail);
    }

    private async Task<JsonElement> OptionsAsync(string? user) => JsonDocument.Parse((await Party.BeginLoginAsync(user, null, default)).Options).RootElement.Clone();

    private static string[] AllowedIds(JsonElement options) =>
        [.. options.GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];

    /// <summary>The options with challenge and credential ids blanked: what stays must be the same for every user.</summary>
    private static string Shape(JsonElement options)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(options.GetRawText())!;
        node["challenge"] = "";
        foreach (var credential in node["allowCredentials"]!.AsArray())
        {
            credential!["id"] = new string('x', credential["id"]!.GetValue<string>().Length);
        }

        return node.ToJsonString();
    }

    [Fact]
    public async Task An_unknown_user_gets_options_shaped_like_a_known_users()
    {
        await RegisterAliceAsync();
        var alice = await OptionsAsync("alice");
        var mallory = await OptionsAsync("mallory");

        Assert.Equal(Shape(alice), Shape(mallory));
        var standIn = Assert.Single(AllowedIds(mallory));
        Assert.Equal(32, Base64Url.DecodeFromChars(standIn).Length);
        Assert.NotEqual(Assert.Single(AllowedIds(alice)), standIn);
    }

    [Fact]
    public async Task The_stand_in_is_the_same_on_every_request_and_differs_between_names_and_keys()
    {
        var first = Assert.Single(AllowedIds(await OptionsAsync("mallory")));
        Assert.Equal(first, Assert.Single(AllowedIds(await OptionsAsync("mallory"))));
        Assert.NotEqual(first, Assert.Single(AllowedIds(await OptionsAsync("trudy"))));

        _userNameKey = [.. Enumerable.Repeat((byte)1, 32)];
        Assert.NotEqual(first, Assert.Single(AllowedIds(await OptionsAsync("mallory"))));
        _userNameKey = null; // a key per process: still the same for a name
        Assert.Equal(Assert.Single(AllowedIds(await OptionsAsync("mallory"))), Assert.Single(AllowedIds(await OptionsAsync("mallory"))));
    }

    [Fact]
    public async Task A_login_with_the_stand_in_is_refused_like_any_unknown_credential()
    {
        var (id, options) = await Party.BeginLoginAsync("mallory", null, default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        _authenticator.CredentialId = Base64Url.DecodeFromChars(Assert.Single(AllowedIds(publicKey)));
        var outcome = await Party.FinishLoginAsync(id, _authenticator.Get(publicKey), default);
        Assert.Equal(WebAuthnReasons.UnknownCredential, outcome.Reason);
    }

    [Fact]
    public async Task Unknown_and_known_names_take_the_same_store_calls_and_similar_time()
    {
        await RegisterAliceAsync();
        // Warm up, then compare medians: the unknown name adds one HMAC to the same store query, no extra round trip.
        for (var i = 0; i < 20; i++)
        {
            await OptionsAsync("alice");
            await OptionsAsync("mallory");
        }

        static async Task<double> Median(Func<Task> run)
        {
            var times = new List<double>();
            for (var i = 0; i < 101; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await run();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            times.Sort();
            return times[50];
        }

        var known = await Median(() => OptionsAsync("alice"));
        var unknown = await Median(() => OptionsAsync("mallory"));
        // Loose bound (shared CI cores): the point is the absence of a second code path with its own cost.
        Assert.InRange(unknown / known, 0.33, 3.0);
    }

    [Fact]
    public async Task Without_a_user_name_the_options_allow_any_credential_and_the_user_handle_names_the_user()
    {
        await RegisterAliceAsync();
        var (id, options) = await Party.BeginLoginAsync(null, null, default);
        var publicKey = JsonDocument.Parse(options).RootElement;
        Assert.False(publicKey.TryGetProperty("allowCredentials", out var allowed) && allowed.GetArrayLength() > 0);

        var login = await Party.FinishLoginAsync(id, _authenticator.Get(publicKey), default);
        Assert.True(login.Succeeded, login.Detail);
        Assert.Equal("alice", login.UserName);
    }

    [Fact]
    public async Task Without_a_user_name_an_assertion_without_user_handle_or_with_another_is_refused()
    {
        await RegisterAliceAsync();
        var handle = _authenticator.UserHandle;

        _authenticator.UserHandle = null;
        var (id, options) = await Party.BeginLoginAsync(null, null, default);
        Assert.Equal(WebAuthnReasons.UserHandleMismatch, (await Party.FinishLoginAsync(id, _authenticator.Get(JsonDocument.Parse(options).RootElement), default)).Reason);

        _authenticator.UserHandle = [.. handle!.Select(b => (byte)~b)];
        (id, options) = await Party.BeginLoginAsync(null, null, default);
        Assert.Equal(WebAuthnReasons.UserHandleMismatch, (await Party.FinishLoginAsync(id, _authenticator.Get(JsonDocument.Parse(options).RootElement), default)).Reason);
    }
}
