namespace MutualAuth.Authentication;

/// <summary>What a method saw when it established a <see cref="MutualIdentity"/>: one subtype per method.</summary>
public abstract record IdentityEvidence;
