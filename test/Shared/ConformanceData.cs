namespace MutualAuth.Testing;

/// <summary>
/// Third-party conformance suites (x509-limbo, structured-field-tests) are not copied into the repository:
/// they are read from <c>$MUTUALAUTH_CONFORMANCE_DATA</c>, else <c>../shared/testdata</c> beside the checkout.
/// </summary>
internal static class ConformanceData
{
    /// <summary>The folder of <paramref name="suite"/>, or <see langword="null"/> with the reason it is missing.</summary>
    public static (string? Path, string Reason) Find(string suite)
    {
        var configured = Environment.GetEnvironmentVariable("MUTUALAUTH_CONFORMANCE_DATA");
        var root = !string.IsNullOrEmpty(configured) ? configured : System.IO.Path.Combine(RepositoryRoot(), "..", "shared", "testdata");
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, suite));
        return Directory.Exists(path)
            ? (path, "")
            : (null, $"conformance suite '{suite}' not found at {path} (set MUTUALAUTH_CONFORMANCE_DATA)");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MutualAuth.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MutualAuth.slnx not found above " + AppContext.BaseDirectory);
    }
}
