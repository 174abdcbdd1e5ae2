using System.Buffers.Text;
using System.Security.Cryptography;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Enrolment invitations (<c>mutualauth webauthn invite</c>): a random id in the challenge store, usable once, short-lived.</summary>
internal static class WebAuthnInvitations
{
    public const string Purpose = "invite";

    /// <summary>The largest invitation lifetime: a link that lives longer is a standing password.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);

    /// <summary>Stores an invitation for <paramref name="userName"/> and returns its id (192 random bits, base64url).</summary>
    public static async Task<string> CreateAsync(IWebAuthnChallengeStore store, string userName, TimeSpan lifetime, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        await store.AddAsync(id, Purpose, userName, time.GetUtcNow() + lifetime, cancellationToken);
        return id;
    }

    /// <summary>Takes an invitation: the user it is for, or null when unknown, used or expired.</summary>
    public static Task<string?> TakeAsync(IWebAuthnChallengeStore store, string? invite, TimeProvider time, CancellationToken cancellationToken) =>
        invite is null or { Length: > 128 } ? Task.FromResult<string?>(null) : store.TakeAsync(invite, Purpose, time.GetUtcNow(), cancellationToken);
}
