using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>The request feature that carries the authenticated <see cref="MutualIdentity"/> to endpoints and the upstream.</summary>
public interface IMutualIdentityFeature
{
    /// <summary>The identity of the request, or null when none was established.</summary>
    MutualIdentity? Identity { get; }
}
