using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>The one registration of the <see cref="IAuditSink"/> every scheme and the TLS handshake record to.</summary>
internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="StoreAuditSink"/> (the log, plus the registered <see cref="IAuditStore"/> if any) unless an
    /// <see cref="IAuditSink"/> is registered already.
    /// </summary>
    public static IServiceCollection TryAddAuditSink(this IServiceCollection services)
    {
        services.TryAddSingleton<IAuditSink>(sp => new StoreAuditSink(sp.GetService<IAuditStore>(), sp.GetRequiredService<ILogger<StoreAuditSink>>()));
        return services;
    }
}
