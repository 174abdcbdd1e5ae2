using System.Text.RegularExpressions;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The embedded default's data folder (mode 0700): database, CA files and identities, at fixed paths.</summary>
public sealed partial class DataFolder
{
    // Layout:
    // mutualauth.db                    SQLite: CA state, issued certificates, audit
    // ca/root.pem ca/intermediate.pem  CA certificates
    // ca/root.key ca/intermediate.key  CA private keys, PKCS#8 PEM, mode 0600
    // ca/crl.pem                       current CRL of the intermediate
    // identities/NAME/cert.pem         leaf certificate
    // identities/NAME/key.pem          leaf private key, mode 0600
    // identities/NAME/chain.pem        leaf + intermediate (curl --cert, nginx ssl_certificate)
    // identities/NAME/ca.pem           the root (curl --cacert)
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Uses the folder at <paramref name="path"/> (not created until <see cref="EnsureCreated"/>).</summary>
    public DataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Root = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Root { get; }

    /// <summary>The SQLite database.</summary>
    public string DatabasePath => Combine("mutualauth.db");

    /// <summary>The CA folder.</summary>
    public string CaDirectory => Combine("ca");

    /// <summary>Root certificate PEM (the trust anchor to hand to clients).</summary>
    public string RootCertificatePath => Combine("ca", "root.pem");

    /// <summary>Intermediate certificate PEM.</summary>
    public string IntermediateCertificatePath => Combine("ca", "intermediate.pem");

    /// <summary>Root private key (0600).</summary>
    public string RootKeyPath => Combine("ca", "root.key");

    /// <summary>Intermediate private key (0600).</summary>
    public string IntermediateKeyPath => Combine("ca", "intermediate.key");

    /// <summary>The RFC 7512 URI of the intermediate key when it is on a token (<c>ca init --intermediate-key pkcs11:…</c>); never a PIN.</summary>
    internal string IntermediateKeyUriPath => Combine("ca", "intermediate-key.uri");

    /// <summary>The RFC 7512 URI of the root key when it is on a token; used only by <c>ca init</c>, kept as a record.</summary>
    internal string RootKeyUriPath => Combine("ca", "root-key.uri");

    /// <summary>The current CRL (PEM).</summary>
    public string CrlPath => Combine("ca", "crl.pem");

    /// <summary>Resolves the data folder: <paramref name="explicitPath"/>, else <c>$MUTUALAUTH_HOME</c>, else <c>./.mutualauth</c>.</summary>
    public static DataFolder Resolve(string? explicitPath)
    {
        var path = !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable("MUTUALAUTH_HOME") is { Length: > 0 } home ? home
            : ".mutualauth";
        return new DataFolder(path);
    }

    /// <summary>Whether <paramref name="name"/> is a valid identity name: 1–64 of letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, not starting with a dot.</summary>
    public static bool IsValidIdentityName(string name) => IdentityName().IsMatch(name);

    /// <summary>The folder of identity <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public IdentityFiles Identity(string name)
    {
        if (!IsValidIdentityName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid identity name (letters, digits, '.', '_', '-'; at most 64; not starting with '.').", nameof(name));
        }

        return new IdentityFiles(Combine("identities", name));
    }

    /// <summary>Creates the folder tree with owner-only permissions.</summary>
    /// <exception cref="StoreException">The path exists as a file.</exception>
    public void EnsureCreated()
    {
        if (File.Exists(Root))
        {
            throw new StoreException($"'{Root}' is a file, not a data folder.");
        }

        CreateOwnerOnlyDirectory(Root);
        CreateOwnerOnlyDirectory(CaDirectory);
        CreateOwnerOnlyDirectory(Combine("identities"));
    }

    /// <summary>Opens the database (creating and migrating it).</summary>
    /// <exception cref="StoreException">It cannot be opened.</exception>
    public SqliteDatabase OpenDatabase()
    {
        EnsureCreated();
        return new SqliteDatabase(DatabasePath);
    }

    /// <summary>The secret from which unknown SCRAM users' salts are derived (32 random bytes, mode 0600).</summary>
    public string ScramSecretPath => Combine("scram.secret");

    /// <summary>The secret from which the stand-in WebAuthn credential ids of names without passkeys are derived (32 random bytes, mode 0600).</summary>
    public string WebAuthnUserNameSecretPath => Combine("webauthn-user-names.secret");

    /// <summary>The server's response-signing key for HTTP Message Signatures (PKCS#8 PEM, mode 0600).</summary>
    public string ServerSigningKeyPath => Combine("signing", "server-key.pem");

    /// <summary>Where <c>mutualauth key create</c> writes the credential file of <paramref name="client"/> by default.</summary>
    public string ClientCredentialPath(string client) => Combine("credentials", client + ".json");

    /// <summary>The AES-256 key that seals secrets at rest (<see cref="SecretBox"/>; 32 random bytes, mode 0600).</summary>
    public string SecretBoxKeyPath => Combine("secret-box.key");

    /// <summary>
    /// Reads the 32-byte secret at <paramref name="path"/>, creating it from the system's random generator when the
    /// file does not exist (mode 0600). Two processes racing to create it both end up with the one that was written.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not 32 bytes.</exception>
    internal static byte[] ReadOrCreateSecret(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            WriteFile(temporary, secret, secret: true);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 32 ? bytes : throw new InvalidDataException($"{path} must hold exactly 32 bytes.");
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/> atomically (temporary file, then
    /// rename), mode 0600 for secrets and 0644 otherwise.
    /// </summary>
    internal static void WriteFile(string path, string contents, bool secret) =>
        WriteFile(path, System.Text.Encoding.UTF8.GetBytes(contents), secret);

    /// <summary>Writes <paramref name="contents"/> atomically; see <see cref="WriteFile(string, string, bool)"/>.</summary>
    internal static void WriteFile(string path, byte[] contents, bool secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(contents);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        CreateOwnerOnlyDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? OwnerOnlyFile : PublicFile;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes an identity's PEM files into a staging folder, then swaps it with <paramref name="files"/>, so
    /// readers see the old set or the new set, never a mix. <paramref name="keyPem"/> null keeps the current key.
    /// <paramref name="beforeSwap"/> runs once the files are staged; if it throws, nothing is replaced.
    /// </summary>
    internal static async Task WriteIdentityAsync(IdentityFiles files, string certificatePem, string chainPem, string? keyPem, string caPem, Func<Task>? beforeSwap = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var staging = new IdentityFiles(files.Directory + ".new-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            WriteFile(staging.CertificatePath, certificatePem, secret: false);
            WriteFile(staging.KeyPath, keyPem ?? File.ReadAllText(files.KeyPath), secret: true);
            WriteFile(staging.ChainPath, chainPem, secret: false);
            WriteFile(staging.CaPath, caPem, secret: false);
            if (beforeSwap is not null)
            {
                await beforeSwap().ConfigureAwait(false);
            }

            if (Directory.Exists(files.Directory))
            {
                var old = files.Directory + ".old-" + Guid.NewGuid().ToString("N")[..8];
                Directory.Move(files.Directory, old);
                Directory.Move(staging.Directory, files.Directory);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(staging.Directory, files.Directory);
            }
        }
        finally
        {
            if (Directory.Exists(staging.Directory))
            {
                Directory.Delete(staging.Directory, recursive: true);
            }
        }
    }

    /// <summary>Creates a directory (and parents) with mode 0700 where it does not exist.</summary>
    internal static void CreateOwnerOnlyDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    private string Combine(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityName();
}
