using Microsoft.AspNetCore.Authentication;
using MutualAuth.MessageSignatures;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>Settings of the HTTP Message Signatures scheme (RFC 9421) for mutual API keys.</summary>
public sealed class HttpSignatureAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with empty events.</summary>
    public HttpSignatureAuthenticationOptions() => Events = new HttpSignatureEvents();

    /// <summary>Hooks that let the application extend or override decisions.</summary>
    public new HttpSignatureEvents Events
    {
        get => (HttpSignatureEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Finds the usable (unrevoked, unexpired) key of a <c>keyid</c>, or null; return a new key each time (it is disposed). Required.</summary>
    public Func<string, CancellationToken, ValueTask<SignatureClient?>>? ResolveClient { get; set; }

    /// <summary>Remembers nonces until their signature expires, so a replay is refused (on every node sharing the store). Required.</summary>
    public IReplayCache? ReplayCache { get; set; }

    /// <summary>The <c>tag</c> that selects the signature to verify.</summary>
    public string Tag { get; set; } = HttpSignatureDefaults.Tag;

    /// <summary>The oldest <c>created</c> accepted, as an age; also the longest <c>expires − created</c>.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock difference tolerated on <c>created</c> and <c>expires</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body whose Content-Digest is checked; larger signed bodies are refused (413).</summary>
    public int MaxBodySize { get; set; } = 1024 * 1024;

    /// <summary>The components every request signature must cover; <c>content-digest</c> is added when the request has a body.</summary>
    public IList<ComponentIdentifier> RequiredComponents { get; } = [ComponentIdentifier.Method, ComponentIdentifier.TargetUri];

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (ResolveClient is null || ReplayCache is null)
        {
            throw new InvalidOperationException("The HTTP signature scheme needs a client resolver and a replay cache.");
        }

        if (MaxAge <= TimeSpan.Zero || ClockSkew < TimeSpan.Zero || ClockSkew > SignatureVerificationPolicy.MaxClockSkew || MaxBodySize < 0)
        {
            throw new InvalidOperationException("The HTTP signature scheme's limits are out of range.");
        }
    }
}
