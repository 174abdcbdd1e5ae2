using System.Diagnostics.CodeAnalysis;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>
/// The methods registered by <c>AddMutualTls</c>, <c>AddScram</c>, <c>AddHttpSignatures</c>…, by route name. The first
/// registration of a name wins, as with the services each of them registers.
/// </summary>
internal sealed class AuthenticationMethodRegistry
{
    private readonly Dictionary<string, AuthenticationMethodRegistration> _methods = new(StringComparer.Ordinal);

    /// <summary>Creates the registry from the registrations in the service collection.</summary>
    public AuthenticationMethodRegistry(IEnumerable<AuthenticationMethodRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var registration in registrations)
        {
            _methods.TryAdd(registration.Method, registration);
        }
    }

    /// <summary>The registered method names, sorted.</summary>
    public IReadOnlyList<string> Methods => [.. _methods.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The methods that can challenge, in challenge order.</summary>
    public IReadOnlyList<AuthenticationMethodRegistration> Challengers =>
        [.. _methods.Values.Where(m => m.ChallengeOrder is not null).OrderBy(m => m.ChallengeOrder)];

    /// <summary>Finds <paramref name="method"/>.</summary>
    public bool TryGet(string method, [NotNullWhen(true)] out AuthenticationMethodRegistration? registration) =>
        _methods.TryGetValue(method, out registration);

    /// <summary>The registration of <paramref name="method"/>.</summary>
    /// <exception cref="InvalidOperationException">No such method is registered; the message lists the known ones.</exception>
    public AuthenticationMethodRegistration Get(string method) =>
        TryGet(method, out var registration)
            ? registration
            : throw new InvalidOperationException($"Unknown authentication method '{method}' (registered: {string.Join(", ", Methods)}).");
}
