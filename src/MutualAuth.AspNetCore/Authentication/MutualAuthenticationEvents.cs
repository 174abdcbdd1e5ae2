namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Events of every MutualAuth scheme, in ASP.NET Core's style: settable delegates, one context type each.</summary>
/// <typeparam name="TValidatedContext">The context of <see cref="OnValidated"/>.</typeparam>
/// <typeparam name="TFailedContext">The context of <see cref="OnFailed"/>.</typeparam>
public class MutualAuthenticationEvents<TValidatedContext, TFailedContext>
{
    /// <summary>Called after the peer passed every check; may replace the principal or call <c>Fail</c>.</summary>
    public Func<TValidatedContext, Task> OnValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when the peer is refused; may log more or call <c>Success</c> to override (use with care).</summary>
    public Func<TFailedContext, Task> OnFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidated"/>.</summary>
    public virtual Task Validated(TValidatedContext context) => OnValidated(context);

    /// <summary>Invokes <see cref="OnFailed"/>.</summary>
    public virtual Task Failed(TFailedContext context) => OnFailed(context);
}
