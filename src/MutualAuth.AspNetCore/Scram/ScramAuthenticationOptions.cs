using Microsoft.AspNetCore.Authentication;
using MutualAuth.Scram;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Settings of the SCRAM HTTP authentication scheme (RFC 7804).</summary>
public sealed class ScramAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with empty events.</summary>
    public ScramAuthenticationOptions() => Events = new ScramEvents();

    /// <summary>Hooks that let the application extend or override decisions.</summary>
    public new ScramEvents Events
    {
        get => (ScramEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Where verifiers are read. Required.</summary>
    public IScramUserStore? UserStore { get; set; }

    /// <summary>A stable secret (at least 16 bytes) from which unknown users' salts are derived; share it between nodes. Required.</summary>
    public byte[]? ServerSecret { get; set; }

    /// <summary>The realm sent in challenges.</summary>
    public string Realm { get; set; } = ScramDefaults.Realm;

    /// <summary>Mechanisms offered, in this order; -PLUS ones only on TLS connections whose certificate has a <c>tls-server-end-point</c> hash.</summary>
    public IList<ScramMechanism> Mechanisms { get; } = [.. ScramHttp.MechanismPreference];

    /// <summary>Accept only -PLUS mechanisms (channel binding to the TLS connection's server certificate).</summary>
    public bool RequireChannelBinding { get; set; }

    /// <summary>Where exchanges wait for client-final: a store shared by several nodes lets the two round trips reach different nodes. Default: this process's memory.</summary>
    public IScramExchangeStore? ExchangeStore { get; set; }

    /// <summary>How long the server waits for client-final after sending server-first.</summary>
    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most exchanges waiting for client-final at once; beyond it new exchanges are refused (503).</summary>
    public int MaxPendingExchanges { get; set; } = 10_000;

    /// <summary>The most exchanges one client address may have waiting for client-final; beyond it its new exchanges get 503.</summary>
    public int MaxPendingExchangesPerAddress { get; set; } = 32;

    /// <summary>Lifetime of the session cookie issued after a successful exchange (<see cref="TimeSpan.Zero"/>: none).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed exchanges allowed in a burst per user name before 429; one more is allowed every <see cref="UserFailureRefill"/>.</summary>
    public int UserFailureBurst { get; set; } = 5;

    /// <summary>How often one more failed exchange is allowed per user name.</summary>
    public TimeSpan UserFailureRefill { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed exchanges allowed in a burst per client address before 429; one more is allowed every <see cref="AddressFailureRefill"/>.</summary>
    public int AddressFailureBurst { get; set; } = 20;

    /// <summary>How often one more failed exchange is allowed per client address.</summary>
    public TimeSpan AddressFailureRefill { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (UserStore is null)
        {
            throw new InvalidOperationException("The SCRAM scheme needs a user store.");
        }

        if (ServerSecret is not { Length: >= 16 })
        {
            throw new InvalidOperationException("The SCRAM scheme needs a server secret of at least 16 bytes.");
        }

        if (Mechanisms.Count == 0 || (RequireChannelBinding && !Mechanisms.Any(m => m.UsesChannelBinding)))
        {
            throw new InvalidOperationException("The SCRAM scheme needs at least one mechanism (a -PLUS one when channel binding is required).");
        }

        if (UserFailureBurst < 1 || AddressFailureBurst < 1 || UserFailureRefill <= TimeSpan.Zero || AddressFailureRefill <= TimeSpan.Zero
            || MaxPendingExchanges < 1 || MaxPendingExchangesPerAddress < 1 || ExchangeTimeout <= TimeSpan.Zero || SessionLifetime < TimeSpan.Zero)
        {
            throw new InvalidOperationException("The SCRAM scheme's limits must be positive.");
        }
    }
}
