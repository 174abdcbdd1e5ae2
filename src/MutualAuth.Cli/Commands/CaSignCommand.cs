using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca sign CSR.pem --profile …</c>: signs a PKCS#10 request made by another tool.</summary>
internal static class CaSignCommand
{
    private static readonly Dictionary<string, CertificateProfile> Profiles = new(StringComparer.Ordinal)
    {
        ["client"] = CertificateProfile.Client,
        ["server"] = CertificateProfile.Server,
        ["workload"] = CertificateProfile.Workload,
    };

    public static Command Create()
    {
        var csr = new Argument<string>("csr") { Description = "PKCS#10 certificate signing request, PEM (openssl req -new …)." };
        var profile = new Option<string>("--profile") { Description = "client, server or workload (serverAuth + clientAuth, 24 h). The profile decides every extension.", Required = true, HelpName = "PROFILE" };
        profile.AcceptOnlyFromAmong([.. Profiles.Keys]);
        var name = new Option<string?>("--name") { Description = "Name recorded with the certificate (default: the request's CN).", HelpName = "NAME" };
        var days = new Option<int?>("--days") { Description = "Validity in days (default: the profile's).", HelpName = "N" };
        var output = new Option<string?>("--out") { Description = "Write the certificate and intermediate (PEM) here instead of standard output.", HelpName = "FILE" };
        var command = new Command("sign", """
            Sign a certificate signing request made by openssl, a device or another tool. The request's self-signature
            is checked; only its subject CN and its DNS/IP/URI/e-mail SANs are used; key usage, EKU and lifetime come
            from the profile; other requested extensions are ignored. RSA keys need 2048 bits, EC keys P-256 or P-384.
            """)
        {
            csr, profile, name, days, output, SharedStore.Option(),
        };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var request = LoadRequest(parseResult.GetValue(csr)!);
            var selected = Profiles[parseResult.GetValue(profile)!];
            var names = NamesOf(request);
            var commonName = DistinguishedNames.CommonName(request.SubjectName);
            var recordName = parseResult.GetValue(name) ?? commonName ?? throw CliException.Usage("the request has no CN; give --name.");
            if (parseResult.GetValue(days) is <= 0 or > 3650)
            {
                throw CliException.Usage("--days must be between 1 and 3650.");
            }

            var leaf = new LeafRequest
            {
                CommonName = commonName ?? recordName,
                DnsNames = names.DnsNames,
                IpAddresses = [.. names.IpAddresses.Select(ip => IPAddress.TryParse(ip, out var address) ? address : throw CliException.Usage($"the request has a malformed IP address SAN ({ip})."))],
                Uris = [.. names.Uris.Select(SanUris.Parse)],
                EmailAddresses = names.EmailAddresses,
                Profile = selected,
                NotAfter = parseResult.GetValue(days) is { } d ? DateTimeOffset.UtcNow.AddDays(d) : null,
            };
            await using var opened = await CertificateAuthorities.OpenInitializedAsync(parseResult, GlobalOptions.Folder(parseResult), cancellationToken);
            var ca = opened.Ca;
            IssuedCertificate issued;
            try
            {
                issued = await ca.SignAsync(recordName, leaf, request.PublicKey, cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.Message.Split(" (Parameter", StringSplitOptions.None)[0], e);
            }

            using (issued)
            {
                if (parseResult.GetValue(output) is { } path)
                {
                    DataFolder.WriteFile(path, issued.ChainPem, secret: false);
                    Console.Error.WriteLine($"Signed {selected.Name} certificate '{recordName}', serial {SerialNumbers.Normalize(issued.Certificate.SerialNumber)}: {Path.GetFullPath(path)}");
                }
                else
                {
                    Console.Write(issued.ChainPem);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static CertificateRequest LoadRequest(string path)
    {
        var pem = InputFiles.ReadText(path);
        try
        {
            // The self-signature is verified (proof of possession); requested extensions are loaded only to read the SAN.
            return CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException e)
        {
            throw CliException.Usage($"'{path}' is not a valid certificate signing request (or its signature does not verify): {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw CliException.Usage($"'{path}' uses a key or signature algorithm that is not supported (RSA or ECDSA P-256/P-384 with SHA-2 only): {e.Message}", e);
        }
    }

    private static SubjectAlternativeNames NamesOf(CertificateRequest request)
    {
        try
        {
            var names = SubjectAlternativeNames.FromExtension(request.CertificateExtensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName));
            return names.IsEmpty ? throw CliException.Usage("the request names no subject alternative name (DNS, IP, URI or e-mail); the CN alone is not a name.") : names;
        }
        catch (CryptographicException e)
        {
            throw CliException.Usage("the request's subjectAltName extension is malformed.", e);
        }
    }
}
