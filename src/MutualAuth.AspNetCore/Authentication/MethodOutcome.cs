using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>What a method's protocol step decided, for <see cref="MutualAuthenticationHandler{TOptions, TValidatedContext, TFailedContext}"/>.</summary>
internal abstract record MethodOutcome
{
    /// <summary>The method was not attempted, or needs another round trip (a challenge): no decision, nothing audited.</summary>
    public static readonly MethodOutcome NoResult = new Undecided();

    /// <summary>See <see cref="NoResult"/>.</summary>
    public sealed record Undecided : MethodOutcome;

    /// <summary>The peer proved <paramref name="Identity"/>; <paramref name="Audit"/> is false when the decision was already audited (handshake, session).</summary>
    public sealed record Accepted(MutualIdentity Identity, bool Audit = true) : MethodOutcome;

    /// <summary>The peer was refused for <paramref name="Reason"/>, with what is known of who it claimed to be.</summary>
    public sealed record Refused(ReasonCode Reason, string Detail, string? Subject = null, string? CredentialId = null, bool Audit = true) : MethodOutcome;
}
