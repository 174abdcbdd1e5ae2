using System.Security.Cryptography.X509Certificates;
using MutualAuth.Scram;

namespace MutualAuth.Http;

/// <summary>How <see cref="ScramHttpHandler"/> logs in with a password (RFC 7804).</summary>
public sealed class ScramClientOptions
{
    /// <summary>The user name. Required.</summary>
    public string? UserName { get; set; }

    /// <summary>Returns the password when an exchange needs it (the handler does not keep it). Required.</summary>
    public Func<string>? Password { get; set; }

    /// <summary>Whether -PLUS is used, preferred or refused.</summary>
    public ChannelBindingPolicy ChannelBinding { get; set; } = ChannelBindingPolicy.Preferred;

    /// <summary>
    /// The verified server certificate of a request URI, for -PLUS (tls-server-end-point); leave null when
    /// <c>AddMutualTls</c> or <see cref="MutualAuthHandlers"/> supplies it. Without either, -PLUS is not used.
    /// </summary>
    public Func<Uri, X509Certificate2?>? ServerCertificate { get; set; }

    /// <summary>The highest PBKDF2 iteration count accepted from a server (an attacker-controlled cost).</summary>
    public int MaxIterations { get; set; } = ScramClient.DefaultMaxIterations;

    /// <summary>Reuse the session cookie the server issues after a login, instead of a new exchange per request.</summary>
    public bool UseSessions { get; set; } = true;

    /// <summary>Checks required settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(UserName) || Password is null)
        {
            throw new InvalidOperationException("SCRAM needs a user name and a password source.");
        }

        if (MaxIterations < ScramCredential.MinIterations)
        {
            throw new InvalidOperationException($"MaxIterations must be at least {ScramCredential.MinIterations}.");
        }
    }
}
