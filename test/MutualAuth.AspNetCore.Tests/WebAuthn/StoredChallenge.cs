using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Testing.WebAuthn;

namespace MutualAuth.AspNetCore.Tests.WebAuthn;

/// <summary>Replays recorded ceremonies: puts a recorded challenge into a started ceremony's stored options.</summary>
internal static class StoredChallenge
{
    public static async Task SetAsync(MemoryWebAuthnStores stores, string id, string purpose, byte[] challenge, DateTimeOffset now)
    {
        var payload = await stores.TakeAsync(id, purpose, now);
        var state = JsonSerializer.Deserialize(payload!, WebAuthnJsonContext.Default.WebAuthnCeremonyState)!;
        var options = JsonNode.Parse(state.Options)!;
        options["challenge"] = Base64Url.EncodeToString(challenge);
        var changed = state with { Options = options.ToJsonString() };
        await stores.AddAsync(id, purpose, JsonSerializer.Serialize(changed, WebAuthnJsonContext.Default.WebAuthnCeremonyState), now.AddMinutes(1));
    }
}
