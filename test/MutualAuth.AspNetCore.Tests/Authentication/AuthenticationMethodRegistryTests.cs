using Microsoft.Extensions.DependencyInjection;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.AspNetCore.Scram;

namespace MutualAuth.AspNetCore.Tests.Authentication;

public sealed class AuthenticationMethodRegistryTests
{
    [Fact]
    public void Each_add_registers_its_method_by_name_with_one_audit_sink()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication()
            .AddMutualTls(o => o.TrustPolicy = () => throw new NotSupportedException())
            .AddScram(_ => { })
            .AddHttpSignatures(_ => { });
        using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<AuthenticationMethodRegistry>();

        Assert.Equal(["mtls", "scram", "sig"], registry.Methods);
        Assert.Equal((MutualTlsDefaults.AuthenticationScheme, ScramDefaults.AuthenticationScheme, HttpSignatureDefaults.AuthenticationScheme),
            (registry.Get("mtls").Scheme, registry.Get("scram").Scheme, registry.Get("sig").Scheme));
        // Signature challenges are written before SCRAM's; mTLS cannot challenge (403).
        Assert.Equal(["sig", "scram"], registry.Challengers.Select(c => c.Method));
        Assert.Single(services, d => d.ServiceType == typeof(MutualAuth.Authentication.IAuditSink));
    }

    [Fact]
    public void An_unknown_method_names_the_known_ones() =>
        Assert.Contains("(registered: mtls)", Assert.Throws<InvalidOperationException>(() =>
            new AuthenticationMethodRegistry([new AuthenticationMethodRegistration("mtls", "MutualTls", null)]).Get("foo")).Message, StringComparison.Ordinal);
}
