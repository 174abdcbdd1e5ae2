using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Issues and checks session cookies (Data Protection): user, mechanism, expiry, verifier fingerprint and -PLUS channel binding.</summary>
// The verifier fingerprint ends the session when the password changes or the user is removed.
internal sealed class ScramSessions(IDataProtectionProvider protection, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("MutualAuth.Scram.Session.v1");

    public string Issue(string userName, ScramCredential credential, ScramChannelBinding? binding, TimeSpan lifetime) =>
        SealedSessionCookie.Seal(_protector, time, lifetime, userName, credential.Mechanism.Name, Fingerprint(credential), Binding(binding));

    /// <summary>The user, mechanism and binding of a valid, unexpired session presented over <paramref name="binding"/>, or null.</summary>
    public async ValueTask<ScramSession?> ValidateAsync(string cookie, Func<string, ScramMechanism, CancellationToken, ValueTask<ScramCredential?>> findCredential,
        IEnumerable<ScramMechanism> mechanisms, ScramChannelBinding? binding, CancellationToken cancellationToken)
    {
        if (SealedSessionCookie.Open(_protector, time, cookie, 4) is not { } parts
            || mechanisms.FirstOrDefault(m => m.Name == parts[1]) is not { } mechanism
            || await findCredential(parts[0], mechanism, cancellationToken).ConfigureAwait(false) is not { } credential)
        {
            return null;
        }

        return Same(Fingerprint(credential), parts[2]) && (parts[3].Length == 0 || Same(Binding(binding), parts[3]))
            ? new ScramSession(parts[0], mechanism, ChannelBound: parts[3].Length > 0)
            : null;
    }

    private static bool Same(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Binding(ScramChannelBinding? binding) => binding is null ? "" : Convert.ToBase64String(binding.Data);

    private static string Fingerprint(ScramCredential credential) =>
        Convert.ToBase64String(SHA256.HashData([.. credential.Salt, .. credential.StoredKey])[..12]);
}
