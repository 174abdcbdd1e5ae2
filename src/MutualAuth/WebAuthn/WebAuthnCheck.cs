using MutualAuth.Authentication;

namespace MutualAuth.WebAuthn;

/// <summary>A failed relying-party check: the reason code and a detail for the log and audit (never for the client).</summary>
internal sealed record WebAuthnCheck(ReasonCode Reason, string Detail);
