using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>The session cookies of SCRAM and WebAuthn: fields and an expiry, sealed with Data Protection.</summary>
internal static class SealedSessionCookie
{
    /// <summary>Seals <paramref name="fields"/> (no newlines) with an expiry of now + <paramref name="lifetime"/>.</summary>
    public static string Seal(IDataProtector protector, TimeProvider time, TimeSpan lifetime, params string[] fields)
    {
        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return protector.Protect(string.Join('\n', [expires, .. fields]));
    }

    /// <summary>The <paramref name="count"/> fields of an authentic, unexpired cookie, or null.</summary>
    public static string[]? Open(IDataProtector protector, TimeProvider time, string cookie, int count)
    {
        string payload;
        try
        {
            payload = protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n');
        return parts.Length == count + 1
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && time.GetUtcNow().ToUnixTimeSeconds() < expires
            ? parts[1..]
            : null;
    }
}
