using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MutualAuth.Certificates;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca inspect FILE</c>: what a certificate says, in words.</summary>
internal static class CaInspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "PEM file with one or more certificates (a chain is shown in order)." };
        var json = GlobalOptions.Json();
        var command = new Command("inspect", "Show certificates in a PEM file: subject, issuer, serial, validity, SANs, key usage, EKU, basic constraints, key, SPKI pin, fingerprint.") { file, json };
        command.SetRunner(parseResult =>
        {
            var certificates = InputFiles.Certificates(parseResult.GetValue(file)!).Select(Describe).ToList();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(certificates, CliJson.Context.ListCertificateDescription));
                return ExitCodes.Success;
            }

            foreach (var certificate in certificates)
            {
                var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
                void Row(string label, string? value)
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        grid.AddRow(label, Tables.Cell(value));
                    }
                }

                Row("Subject", certificate.Subject);
                Row("Issuer", certificate.Issuer);
                Row("Serial", certificate.Serial);
                Row("Valid", $"{certificate.NotBefore:u} to {certificate.NotAfter:u}");
                Row("SANs", string.Join(", ", certificate.Sans));
                Row("Key", certificate.Key);
                Row("Signature", certificate.SignatureAlgorithm);
                Row("CA", certificate.IsCa ? $"yes{(certificate.PathLength is { } p ? $", path length {p}" : "")}" : "no");
                Row("Key usage", string.Join(", ", certificate.KeyUsage));
                Row("EKU", string.Join(", ", certificate.ExtendedKeyUsage));
                Row("SPKI pin", certificate.SpkiPin);
                Row("SHA-256", certificate.Sha256Fingerprint);
                AnsiConsole.Write(grid);
                Console.WriteLine();
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static CertificateDescription Describe(X509Certificate2 certificate)
    {
        var names = SubjectAlternativeNames.From(certificate);
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        using var rsa = certificate.GetRSAPublicKey();
        using var ec = rsa is null ? certificate.GetECDsaPublicKey() : null;
        return new CertificateDescription(
            certificate.Subject,
            certificate.Issuer,
            SerialNumbers.Normalize(certificate.SerialNumber),
            certificate.NotBefore.ToUniversalTime(),
            certificate.NotAfter.ToUniversalTime(),
            names.ToTypedStrings(),
            rsa is not null ? $"RSA {rsa.KeySize}" : ec is not null ? $"ECDSA P-{ec.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown",
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            basic?.CertificateAuthority == true,
            basic is { CertificateAuthority: true, HasPathLengthConstraint: true } ? basic.PathLengthConstraint : null,
            keyUsage is null ? [] : [.. Enum.GetValues<X509KeyUsageFlags>().Where(f => f != X509KeyUsageFlags.None && keyUsage.KeyUsages.HasFlag(f)).Select(f => f.ToString())],
            eku is null ? [] : [.. eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.FriendlyName ?? o.Value ?? "")],
            SpkiPin.FromCertificate(certificate).ToString(),
            Convert.ToHexString(SHA256.HashData(certificate.RawData)));
    }
}

/// <summary>One certificate in <c>ca inspect --json</c>.</summary>
internal sealed record CertificateDescription(string Subject, string Issuer, string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, IReadOnlyList<string> Sans,
    string Key, string SignatureAlgorithm, bool IsCa, int? PathLength, IReadOnlyList<string> KeyUsage, IReadOnlyList<string> ExtendedKeyUsage, string SpkiPin, string Sha256Fingerprint);
