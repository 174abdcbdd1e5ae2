using Microsoft.AspNetCore.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Options of the mutual TLS scheme; <see cref="TrustPolicy"/> is required (the system roots are never trusted).</summary>
public sealed class MutualTlsOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with empty events.</summary>
    public MutualTlsOptions() => Events = new MutualTlsEvents();

    /// <summary>Returns the current trust policy (anchors, CRLs, allow-rules, pins), called for every validation. Required.</summary>
    public Func<TrustPolicy>? TrustPolicy { get; set; }

    /// <summary>Hooks that let the application extend or override decisions.</summary>
    public new MutualTlsEvents Events
    {
        get => (MutualTlsEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Checks that a trust policy source is set.</summary>
    /// <exception cref="InvalidOperationException">No <see cref="TrustPolicy"/>.</exception>
    public override void Validate()
    {
        base.Validate();
        if (TrustPolicy is null)
        {
            throw new InvalidOperationException("MutualTlsOptions.TrustPolicy must be set: mutual TLS needs explicit trust anchors.");
        }
    }
}
