using System.CommandLine;
using MutualAuth.Certificates;
using MutualAuth.Keys.Pkcs11;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca init</c>.</summary>
internal static class CaInitCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name used in the CA subjects.", DefaultValueFactory = _ => "MutualAuth", HelpName = "NAME" };
        var key = new Option<string>("--key") { Description = "Key type of the CA and of issued keys: p256, p384 or rsa3072.", DefaultValueFactory = _ => "p256", HelpName = "TYPE" };
        key.AcceptOnlyFromAmong([.. KeyAlgorithmNames.All]);
        var permitDns = new Option<string[]>("--permit-dns") { Description = "Name constraint: the intermediate may only issue DNS names in this domain and its subdomains (repeatable).", HelpName = "DOMAIN" };
        var permitUri = new Option<string[]>("--permit-uri") { Description = "Name constraint: URI SANs must have this host, e.g. a SPIFFE trust domain (repeatable).", HelpName = "HOST" };
        var permitIp = new Option<string[]>("--permit-ip") { Description = "Name constraint: IP SANs must be in this range, e.g. 10.0.0.0/8 (repeatable).", HelpName = "CIDR" };
        var rootKey = new Option<string?>("--root-key") { Description = "Keep the root key on a PKCS#11 token (HSM, smart card), named by its RFC 7512 URI, pkcs11:token=LABEL;object=KEY; only the URI is written to the data folder.", HelpName = "URI" };
        var intermediateKey = new Option<string?>("--intermediate-key") { Description = "Keep the issuing (intermediate) key on a PKCS#11 token; every later 'ca issue|sign|revoke|crl' and 'card enroll' signs there (PIN from --pin-file, --pin-env, the URI's pin-source, or a prompt).", HelpName = "URI" };
        var generate = new Option<bool>("--generate-on-token") { Description = "Generate the keys named by --root-key/--intermediate-key on their tokens (object=LABEL must be free; type from --key), sensitive and never extractable, instead of using existing keys." };
        var module = TokenPins.ModuleOption();
        var command = new Command("init", """
            Create a root CA and an intermediate CA in the data folder (keys are owner-only files). With --permit-*, the
            intermediate carries critical name constraints: every validator refuses names outside them, and so does 'ca issue'.
            With any --permit-* given, names of a type without a --permit-* of its own are not constrained.
            With --root-key/--intermediate-key pkcs11:…, those keys stay on a token (smart card, HSM), as step-ca's kms: pkcs11.
            """)
        {
            name, key, permitDns, permitUri, permitIp, rootKey, intermediateKey, generate, module,
        };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            if (!KeyAlgorithmNames.TryParse(parseResult.GetValue(key), out var algorithm))
            {
                throw CliException.Usage($"unknown key type '{parseResult.GetValue(key)}'.");
            }

            var caName = parseResult.GetValue(name)!.Trim();
            if (caName.Length is 0 or > 40)
            {
                throw CliException.Usage("--name must have 1 to 40 characters (it becomes '<name> Root CA', at most 64).");
            }

            NameConstraints constraints;
            try
            {
                constraints = new NameConstraints
                {
                    PermittedDnsNames = [.. (parseResult.GetValue(permitDns) ?? []).Select(d => Uri.CheckHostName(d) == UriHostNameType.Dns ? d : throw new FormatException($"'{d}' is not a DNS domain."))],
                    PermittedUriHosts = [.. (parseResult.GetValue(permitUri) ?? []).Select(h => Uri.CheckHostName(h) == UriHostNameType.Dns ? h : throw new FormatException($"'{h}' is not a host name."))],
                    PermittedIpRanges = [.. (parseResult.GetValue(permitIp) ?? []).Select(NameConstraints.ParseRange)],
                };
            }
            catch (FormatException e)
            {
                throw CliException.Usage(e.Message, e);
            }

            var folder = GlobalOptions.Folder(parseResult);
            var ca = new LocalCertificateAuthority(folder, TimeProvider.System);
            if (await ca.IsInitializedAsync(cancellationToken))
            {
                throw CliException.Usage($"a certificate authority already exists in '{folder.Root}'; nothing was changed.");
            }

            if (parseResult.GetValue(generate) && parseResult.GetValue(rootKey) is null && parseResult.GetValue(intermediateKey) is null)
            {
                throw CliException.Usage("--generate-on-token needs --root-key and/or --intermediate-key.");
            }

            ExternalCaKey? onTokenRoot = null, onTokenIntermediate = null;
            CertificateAuthorityRecord? record = null;
            try
            {
                onTokenRoot = parseResult.GetValue(rootKey) is { } rootUri ? CaTokenKeys.Open(rootUri, parseResult.GetValue(module), parseResult.GetValue(generate), algorithm, parseResult, "root") : null;
                onTokenIntermediate = parseResult.GetValue(intermediateKey) is { } intermediateUri ? CaTokenKeys.Open(intermediateUri, parseResult.GetValue(module), parseResult.GetValue(generate), algorithm, parseResult, "intermediate") : null;
                record = await ca.InitializeAsync(caName, algorithm, onTokenRoot, onTokenIntermediate, constraints, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.Message, e);
            }
            finally
            {
                foreach (var onToken in new[] { onTokenRoot, onTokenIntermediate })
                {
                    // A failed init leaves no generated key behind, as a failed card enrolment.
                    if (record is null && parseResult.GetValue(generate) && onToken?.Key is TokenSigningKey { Uri.Id: { } id } generated)
                    {
                        TokenObjects.Remove(generated.Token, id);
                    }

                    onToken?.Key.Dispose();
                }
            }

            Console.WriteLine($"Created CA '{record.Name}' ({algorithm.ToName()}) in {folder.Root}");
            Console.WriteLine($"  root key:            {onTokenRoot?.Uri ?? folder.RootKeyPath}");
            Console.WriteLine($"  intermediate key:    {onTokenIntermediate?.Uri ?? folder.IntermediateKeyPath}");
            Console.WriteLine($"  root (trust anchor): {folder.RootCertificatePath}");
            Console.WriteLine($"  intermediate:        {folder.IntermediateCertificatePath}");
            Console.WriteLine($"  CRL:                 {folder.CrlPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
