using MutualAuth.AspNetCore.Authentication;

namespace MutualAuth.AspNetCore.Tests;

public sealed class AssemblyReferencesTests
{
    [Fact]
    public void The_server_package_does_not_pull_in_the_reverse_proxy()
    {
        // YARP is the gateway's (MutualAuth.Gateway): an application that only wants AddMutualTls does not get it.
        var references = typeof(MutualTlsOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain(references, name => name!.StartsWith("Yarp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("MutualAuth.Gateway", references);
    }
}
