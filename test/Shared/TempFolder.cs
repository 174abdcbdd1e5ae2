namespace MutualAuth.Testing;

/// <summary>A fresh owner-only folder under the system temp folder, deleted with everything in it on dispose.</summary>
/// <param name="prefix">The folder name's start, e.g. <c>mutualauth-zero-</c>.</param>
internal sealed class TempFolder(string prefix = "mutualauth-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still exiting may hold a file for a moment; the system cleans its temp folder.
        }
    }
}
