using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca issue server|client</c>.</summary>
internal static class CaIssueCommand
{
    public static Command Create()
    {
        var issue = new Command("issue", "Issue a certificate and key as PEM files (cert.pem, key.pem, chain.pem, ca.pem).") { SharedStore.Option() };
        issue.Subcommands.Add(CreateProfileCommand(CertificateProfile.Server, "server", "Issue a TLS server certificate (EKU serverAuth).", "server"));
        issue.Subcommands.Add(CreateProfileCommand(CertificateProfile.Client, "client", "Issue a TLS client certificate (EKU clientAuth).", null));
        return issue;
    }

    private static Command CreateProfileCommand(CertificateProfile profile, string commandName, string description, string? defaultName)
    {
        var name = new Option<string?>("--name")
        {
            Description = defaultName is null
                ? "Identity name: the CN, the folder under identities/ and, when no other SAN is given, a DNS SAN. Required."
                : $"Identity name: the folder under identities/ (default: {defaultName}).",
            Required = defaultName is null,
            HelpName = "NAME",
        };
        var commonName = new Option<string?>("--cn")
        {
            Description = defaultName is null ? "Subject CN (default: the name; at most 64 characters)." : "Subject CN (default: the first DNS name, else the name; at most 64 characters).",
            HelpName = "CN",
        };
        var ou = new Option<string?>("--ou") { Description = "Subject OU.", HelpName = "OU" };
        var dns = new Option<string[]>("--dns") { Description = "DNS SAN (repeatable).", HelpName = "NAME" };
        var ip = new Option<string[]>("--ip") { Description = "IP SAN (repeatable).", HelpName = "ADDRESS" };
        var uri = new Option<string[]>("--uri") { Description = "URI SAN, e.g. a SPIFFE ID spiffe://example.org/ns/web (repeatable).", HelpName = "URI" };
        var email = new Option<string[]>("--email") { Description = "E-mail SAN (repeatable).", HelpName = "ADDRESS" };
        var days = new Option<int?>("--days") { Description = $"Validity in days (default: {Lifetime(profile)}).", HelpName = "N" };
        var hours = new Option<int?>("--hours") { Description = "Validity in hours, for short-lived certificates (instead of --days).", HelpName = "N" };
        var output = new Option<string?>("--out") { Description = "Folder for the PEM files (default: DATA/identities/NAME).", HelpName = "DIR" };
        var p12 = new Option<string?>("--p12") { Description = "Also write a PKCS#12 file (key, certificate, chain).", HelpName = "FILE" };
        var p12Password = new Option<string?>("--p12-password-file") { Description = "File holding the PKCS#12 password (default: a random one written to FILE.password, mode 0600).", HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace an existing identity's files (its old certificate stays valid until revoked)." };
        var command = new Command(commandName, description) { name, commonName, ou, dns, ip, uri, email, days, hours, output, p12, p12Password, force };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(days) is not null && parseResult.GetValue(hours) is not null)
            {
                throw CliException.Usage("give --days or --hours, not both.");
            }

            if (parseResult.GetValue(hours) is <= 0 or > 87600)
            {
                throw CliException.Usage("--hours must be between 1 and 87600.");
            }

            var request = BuildRequest(profile, parseResult.GetValue(name) ?? defaultName!, parseResult.GetValue(commonName), parseResult.GetValue(ou),
                parseResult.GetValue(dns) ?? [], parseResult.GetValue(ip) ?? [], parseResult.GetValue(uri) ?? [], parseResult.GetValue(email) ?? [], parseResult.GetValue(days));
            if (parseResult.GetValue(hours) is { } h)
            {
                request = request with { NotAfter = DateTimeOffset.UtcNow.AddHours(h) };
            }
            var identityName = parseResult.GetValue(name) ?? defaultName!;
            var folder = GlobalOptions.Folder(parseResult);
            var files = parseResult.GetValue(output) is { } dir ? new IdentityFiles(Path.GetFullPath(dir)) : IdentityFor(folder, identityName);
            if (files.Exists && !parseResult.GetValue(force))
            {
                throw CliException.Usage($"identity '{identityName}' already exists at {files.Directory}; use --force to replace it.");
            }

            CheckOutputs(files);
            if (parseResult.GetValue(p12) is { } p12Output)
            {
                CheckPkcs12Output(p12Output, parseResult.GetValue(p12Password));
            }

            await using var opened = await CertificateAuthorities.OpenInitializedAsync(parseResult, folder, cancellationToken);
            var ca = opened.Ca;
            using var issued = await IssueAsync(ca, identityName, request, files, cancellationToken);
            Console.WriteLine($"Issued {profile.Name} certificate '{identityName}', serial {SerialNumbers.Normalize(issued.Certificate.SerialNumber)}, valid until {issued.Certificate.NotAfter.ToUniversalTime():u}");
            Console.WriteLine($"  certificate: {files.CertificatePath}");
            Console.WriteLine($"  key:         {files.KeyPath}");
            Console.WriteLine($"  chain:       {files.ChainPath}");
            Console.WriteLine($"  CA:          {files.CaPath}");
            if (parseResult.GetValue(p12) is { } p12Path)
            {
                using var withKey = issued.PrivateKey!.CopyWithPrivateKey(issued.Certificate);
                WritePkcs12(withKey, [issued.Issuer], p12Path, parseResult.GetValue(p12Password));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Lifetime(CertificateProfile profile) =>
        profile.DefaultLifetime.TotalDays >= 1 ? $"{profile.DefaultLifetime.TotalDays:0} days" : $"{profile.DefaultLifetime.TotalHours:0} hours";

    /// <summary>Issues through <paramref name="ca"/>, turning profile violations into usage errors.</summary>
    public static async Task<IssuedCertificate> IssueAsync(LocalCertificateAuthority ca, string name, LeafRequest request, IdentityFiles files, CancellationToken cancellationToken)
    {
        try
        {
            return await ca.IssueAsync(name, request, files, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message, e);
        }
    }

    public static IdentityFiles IdentityFor(DataFolder folder, string name)
    {
        try
        {
            return folder.Identity(name);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message.Split(" (Parameter", StringSplitOptions.None)[0], e);
        }
    }

    public static LeafRequest BuildRequest(CertificateProfile profile, string name, string? commonName, string? ou,
        IReadOnlyList<string> dns, IReadOnlyList<string> ips, IReadOnlyList<string> uris, IReadOnlyList<string> emails, int? days)
    {
        var addresses = ips.Select(text => IPAddress.TryParse(text, out var address) ? address : throw CliException.Usage($"'{text}' is not an IP address.")).ToList();
        var uriValues = uris.Select(SanUris.Parse).ToList();
        if ((commonName ?? name).Length > 64 || ou?.Length > 64)
        {
            throw CliException.Usage("the CN and OU have at most 64 characters (RFC 5280 upper bounds).");
        }


        if (days is <= 0 or > 3650)
        {
            throw CliException.Usage("--days must be between 1 and 3650.");
        }

        if (profile == CertificateProfile.Server && dns.Count + addresses.Count == 0)
        {
            throw CliException.Usage("a server certificate needs at least one --dns or --ip name.");
        }

        var dnsNames = dns.ToList();
        if (profile == CertificateProfile.Client && dnsNames.Count + addresses.Count + uriValues.Count + emails.Count == 0)
        {
            // A client certificate needs a SAN; its name is the natural one when no other is given.
            dnsNames.Add(name);
        }

        foreach (var dnsName in dnsNames.Where(n => !NameSyntax.IsDnsName(n)))
        {
            throw CliException.Usage($"'{dnsName}' is not a DNS name (a wildcard only as the whole first label of at least three).");
        }

        return new LeafRequest
        {
            CommonName = commonName ?? (profile == CertificateProfile.Server && dns.Count > 0 ? dns[0] : name),
            OrganizationalUnit = ou,
            DnsNames = dnsNames,
            IpAddresses = addresses,
            Uris = uriValues,
            EmailAddresses = emails,
            Profile = profile,
            NotAfter = days is { } d ? DateTimeOffset.UtcNow.AddDays(d) : null,
        };
    }

    /// <summary>Refuses unusable output paths before anything is issued, so a failed command records nothing.</summary>
    private static void CheckOutputs(IdentityFiles files)
    {
        if (File.Exists(files.Directory))
        {
            throw CliException.Usage($"--out '{files.Directory}' is a file, not a folder.");
        }
    }

    /// <summary>Refuses an unusable PKCS#12 path or password file before anything is written.</summary>
    public static void CheckPkcs12Output(string p12Path, string? passwordFile)
    {
        if (string.IsNullOrWhiteSpace(p12Path))
        {
            throw CliException.Usage("--p12 needs a file name.");
        }

        var full = Path.GetFullPath(p12Path);
        if (Directory.Exists(full) || !Directory.Exists(Path.GetDirectoryName(full)))
        {
            throw CliException.Usage($"--p12 '{p12Path}' must name a file in an existing folder.");
        }

        if (passwordFile is not null)
        {
            ReadPassword(passwordFile);
        }
    }

    private static string ReadPassword(string passwordFile)
    {
        string password;
        try
        {
            password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the password file '{passwordFile}': {e.Message}", e);
        }

        return password.Length >= 8 ? password : throw CliException.Usage($"the password in '{passwordFile}' is shorter than 8 characters.");
    }

    /// <summary>Writes a certificate with its key and chain as AES-256 PKCS#12 (owner-only), with the password from a file or a new random one.</summary>
    public static void WritePkcs12(X509Certificate2 withKey, X509Certificate2[] chain, string path, string? passwordFile)
    {
        string password;
        if (passwordFile is not null)
        {
            password = ReadPassword(passwordFile);
        }
        else
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            DataFolder.WriteFile(path + ".password", password + "\n", secret: true);
        }

        var collection = new X509Certificate2Collection { withKey };
        collection.AddRange(chain);
        var bytes = collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        DataFolder.WriteFile(path, bytes, secret: true);
        Console.WriteLine($"  PKCS#12:     {Path.GetFullPath(path)}" + (passwordFile is null ? $" (password in {Path.GetFullPath(path)}.password)" : ""));
    }
}
