using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Keys;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca renew URL --identity NAME</c>: renews an identity's certificate over the gateway's mTLS endpoint.</summary>
internal static class CaRenewCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The gateway's base URL, e.g. https://localhost:8443 (POST /ca/renew is called)." };
        var identity = new Option<string>("--identity") { Description = "Identity in the data folder whose certificate is renewed.", Required = true, HelpName = "NAME" };
        var ca = new Option<string[]>("--ca") { Description = "Trust anchors for the server, PEM (default: the identity's ca.pem).", HelpName = "FILE" };
        var newKey = new Option<bool>("--new-key") { Description = "Generate a new key (same type) instead of keeping the current one." };
        var ifDue = new Option<bool>("--if-due") { Description = "Renew only once two thirds of the current certificate's lifetime have passed (for cron)." };
        var command = new Command("renew", """
            Renew a certificate before it expires: authenticate to the gateway with the current certificate (so a revoked or
            expired one cannot renew), send a signing request for the current or a new key, and replace the identity's files
            atomically. Names and profile stay the same. Exit code 1 when the server refuses.
            """)
        {
            url, identity, ca, newKey, ifDue,
        };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var target = Uri.TryCreate(parseResult.GetValue(url), UriKind.Absolute, out var parsed) && parsed.Scheme == "https"
                ? new Uri(parsed, "/ca/renew")
                : throw CliException.Usage($"'{parseResult.GetValue(url)}' is not an https URL.");
            var files = CaIssueCommand.IdentityFor(GlobalOptions.ExistingFolder(parseResult), parseResult.GetValue(identity)!);
            if (!files.Exists)
            {
                throw CliException.Usage($"no identity '{files.Name}' with a key.");
            }

            using var current = InputFiles.CertificateWithKey(files.ChainPath, files.KeyPath);
            var now = DateTimeOffset.UtcNow;
            var due = current.NotBefore.ToUniversalTime() + ((current.NotAfter - current.NotBefore) * 2 / 3);
            if (parseResult.GetValue(ifDue) && now < due)
            {
                Console.WriteLine($"'{files.Name}' is not due for renewal until {due:u} (valid until {current.NotAfter.ToUniversalTime():u}).");
                return ExitCodes.Success;
            }

            using var currentKey = SoftwareSigningKey.FromPem(InputFiles.ReadText(files.KeyPath));
            using var replacement = parseResult.GetValue(newKey) ? SoftwareSigningKey.Generate(currentKey.Algorithm) : null;
            var key = replacement ?? currentKey;
            var csr = key.CreateCertificateRequest(current.SubjectName).CreateSigningRequestPem();
            var anchors = new X509Certificate2Collection();
            foreach (var file in parseResult.GetValue(ca) is { Length: > 0 } given ? given : [files.CaPath])
            {
                anchors.AddRange(InputFiles.Certificates(file));
            }

            var options = new MutualTlsClientOptions
            {
                ClientCertificate = current,
                ServerTrust = new TrustPolicy { TrustAnchors = anchors, Purpose = CertificatePurpose.ServerAuthentication, Revocation = RevocationMode.None },
            };
            options.ClientCertificateChain.AddRange(InputFiles.Certificates(files.ChainPath).Skip(1).ToArray());
            using var client = new HttpClient(MutualAuthHandlers.Create(options));
            string chainPem;
            try
            {
                using var response = await client.PostAsync(target, new StringContent(csr), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw CliException.Refused($"the server refused to renew '{files.Name}' ({(int)response.StatusCode} {response.ReasonPhrase}).");
                }

                chainPem = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (MutualAuthenticationException e)
            {
                throw CliException.Refused($"server verification failed, request not sent: {e.Message}", e);
            }
            catch (HttpRequestException e)
            {
                throw CliException.Refused($"renewal failed: {MutualAuthenticationException.Find(e)?.Message ?? "the server refused this certificate or closed the connection"}", e);
            }

            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(chainPem);
            using var renewed = chain.Count > 0 ? chain[0] : throw CliException.Store("the server answered without a certificate.");
            if (!renewed.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(key.PublicKey.EncodedKeyValue.RawData))
            {
                throw CliException.Store("the server returned a certificate for another key; nothing was changed.");
            }

            await DataFolder.WriteIdentityAsync(files, renewed.ExportCertificatePem() + "\n", chainPem, replacement is null ? null : replacement.ExportPkcs8Pem() + "\n", File.ReadAllText(files.CaPath));
            Console.WriteLine($"Renewed '{files.Name}': serial {SerialNumbers.Normalize(renewed.SerialNumber)}, valid until {renewed.NotAfter.ToUniversalTime():u}" + (replacement is null ? "" : ", new key"));
            return ExitCodes.Success;
        });
        return command;
    }
}
