namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// Checks that other users cannot read the data folder's secrets or replace its files, as ssh checks its keys: the
/// folder and its sub-folders writable by the owner only, private keys and secrets (CA keys, identity keys, the SCRAM
/// and secret-box secrets, the response-signing key, credential files) readable by the owner only. On Windows, where
/// the folder's ACL decides, nothing is checked.
/// </summary>
internal static class DataFolderPermissions
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>What is too open, one sentence each with the command that fixes it; empty when all is well.</summary>
    /// <param name="folder">The data folder (a missing folder or file is not a problem: it is created owner-only).</param>
    public static IReadOnlyList<string> Problems(DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder.Root))
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var directory in new[] { folder.Root, folder.CaDirectory, Path.Combine(folder.Root, "identities"), Path.Combine(folder.Root, "signing"), Path.Combine(folder.Root, "credentials") }
            .Concat(SubDirectories(Path.Combine(folder.Root, "identities"))))
        {
            if (Directory.Exists(directory) && (File.GetUnixFileMode(directory) & GroupOrOtherWrite) != 0)
            {
                problems.Add($"'{directory}' is writable by other users (chmod go-w '{directory}').");
            }
        }

        foreach (var file in Secrets(folder))
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & GroupOrOther) != 0)
            {
                problems.Add($"'{file}' is a secret that other users can access (chmod 600 '{file}').");
            }
        }

        return problems;
    }

    private static IEnumerable<string> Secrets(DataFolder folder) =>
        new[] { folder.RootKeyPath, folder.IntermediateKeyPath, folder.ScramSecretPath, folder.WebAuthnUserNameSecretPath, folder.SecretBoxKeyPath, folder.ServerSigningKeyPath }
            .Concat(SubDirectories(Path.Combine(folder.Root, "identities")).Select(d => Path.Combine(d, "key.pem")))
            .Concat(Files(Path.Combine(folder.Root, "credentials"), "*.json"));

    private static IEnumerable<string> SubDirectories(string path) => Directory.Exists(path) ? Directory.EnumerateDirectories(path) : [];

    private static IEnumerable<string> Files(string path, string pattern) => Directory.Exists(path) ? Directory.EnumerateFiles(path, pattern) : [];
}
