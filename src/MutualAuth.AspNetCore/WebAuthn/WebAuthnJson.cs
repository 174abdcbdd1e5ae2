using System.Text.Json;
using System.Text.Json.Serialization;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>What a ceremony keeps in the challenge store between its two requests.</summary>
/// <param name="User">The user it is for (null: a login that did not name one).</param>
/// <param name="UserHandle">The user handle given to the authenticator (registration), base64url.</param>
/// <param name="Options">The options sent to the browser, as Fido2 JSON.</param>
internal sealed record WebAuthnCeremonyState(string? User, string? UserHandle, string Options);

/// <summary>The body of a request that starts a ceremony.</summary>
/// <param name="UserName">The user (login); absent: a login with a discoverable credential, whose user the authenticator names.</param>
/// <param name="Invite">The enrolment invitation (registration without an authentication).</param>
/// <param name="UserVerification">What the page asks the authenticator for (<c>required</c> by default); the server's policy applies whatever is asked.</param>
internal sealed record WebAuthnStartRequest(string? UserName, string? Invite, string? UserVerification);

/// <summary>The body of a request that finishes a ceremony: the challenge id and the browser's <c>PublicKeyCredential.toJSON()</c>.</summary>
internal sealed record WebAuthnFinishRequest(string? ChallengeId, JsonElement Credential);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 16)]
[JsonSerializable(typeof(WebAuthnCeremonyState))]
[JsonSerializable(typeof(WebAuthnStartRequest))]
[JsonSerializable(typeof(WebAuthnFinishRequest))]
[JsonSerializable(typeof(Dictionary<string, string>))]
// Fido2's own context has the assertion response but not this one.
[JsonSerializable(typeof(Fido2NetLib.AuthenticatorAttestationRawResponse))]
internal sealed partial class WebAuthnJsonContext : JsonSerializerContext;
