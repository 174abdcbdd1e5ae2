namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Events of the mutual TLS scheme, in ASP.NET Core's style: settable delegates, one context type each.</summary>
public class MutualTlsEvents
{
    /// <summary>Called after the certificate passed every check; may replace the principal or call <c>Fail</c>.</summary>
    public Func<MutualTlsValidatedContext, Task> OnValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when the certificate is refused; may log more or call <c>Success</c> to override (use with care).</summary>
    public Func<MutualTlsFailedContext, Task> OnFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidated"/>.</summary>
    public virtual Task Validated(MutualTlsValidatedContext context) => OnValidated(context);

    /// <summary>Invokes <see cref="OnFailed"/>.</summary>
    public virtual Task Failed(MutualTlsFailedContext context) => OnFailed(context);
}
