using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MutualAuth.Certificates;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth verify CERT</c>: explains, check by check, why a certificate is accepted or refused.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var certificate = new Argument<string>("certificate") { Description = "PEM file: the certificate, optionally followed by the intermediates its owner sends." };
        var chain = new Option<string[]>("--chain") { Description = "Extra intermediates, PEM (repeatable).", HelpName = "FILE" };
        var trust = new Option<string[]>("--trust") { Description = "Trust anchors, PEM (repeatable; default: the data folder's CA).", HelpName = "FILE" };
        var name = new Option<string?>("--name") { Description = "Host name or IP the certificate must name (server purpose).", HelpName = "HOST" };
        var purpose = new Option<string?>("--purpose") { Description = "client or server (default: from the certificate's extended key usage).", HelpName = "PURPOSE" };
        purpose.AcceptOnlyFromAmong("client", "server");
        var at = new Option<string?>("--at") { Description = "Validate as of this time, ISO 8601 (default: now).", HelpName = "TIME" };
        var crl = new Option<string[]>("--crl") { Description = "CRLs to check revocation against (repeatable; default: the data folder's CRL). Without any, revocation is not checked.", HelpName = "FILE" };
        var pin = new Option<string[]>("--pin") { Description = "SPKI pin sha256/BASE64 that a key in the chain must match (repeatable).", HelpName = "PIN" };
        var json = GlobalOptions.Json();
        var command = new Command("verify", """
            Explain why a certificate chain is accepted or refused: every check with pass, fail or skip and the reason,
            using the same validator as serve and call. Exit code 0 when accepted, 1 when refused.
            """)
        {
            certificate, chain, trust, name, purpose, at, crl, pin, json,
        };
        command.SetRunner(parseResult =>
        {
            var folder = GlobalOptions.Folder(parseResult);
            var presented = InputFiles.Certificates(parseResult.GetValue(certificate)!);
            var leaf = presented[0];
            var intermediates = new X509Certificate2Collection();
            foreach (var file in parseResult.GetValue(chain) ?? [])
            {
                intermediates.AddRange(InputFiles.Certificates(file));
            }

            var anchors = Files(parseResult.GetValue(trust), folder.RootCertificatePath, "no trust anchors: give --trust FILE or use a data folder with a CA.");
            if ((parseResult.GetValue(trust) ?? []).Length == 0 && File.Exists(folder.IntermediateCertificatePath))
            {
                intermediates.AddRange(InputFiles.Certificates(folder.IntermediateCertificatePath));
            }

            var crlFiles = (parseResult.GetValue(crl) ?? []).Length > 0 ? parseResult.GetValue(crl)! : File.Exists(folder.CrlPath) ? [folder.CrlPath] : [];
            var policy = new TrustPolicy
            {
                TrustAnchors = Load(anchors),
                Intermediates = intermediates,
                Crls = crlFiles.Select(AspNetCore.TrustMaterial.FileTrustPolicySource.ReadCrl).ToList(),
                Revocation = crlFiles.Length > 0 ? RevocationMode.EndEntity : RevocationMode.None,
                Purpose = Purpose(parseResult.GetValue(purpose), leaf),
                Pins = (parseResult.GetValue(pin) ?? []).Select(ParsePin).ToList(),
            };
            var time = Time(parseResult.GetValue(at));
            var report = ChainValidator.ExplainAt(leaf, presented.Skip(1), policy, parseResult.GetValue(name), time);
            if (parseResult.GetValue(json))
            {
                var body = new VerifyReport(report.Result.IsValid, report.Result.Code, report.Result.Detail, time, policy.Purpose == CertificatePurpose.ServerAuthentication ? "server" : "client",
                    report.Steps.Select(s => new VerifyStep(s.Check, s.Outcome.ToString().ToLowerInvariant(), s.Outcome == ValidationOutcome.Failed ? s.Reason.ToCode() : null, s.Detail)).ToList());
                Console.WriteLine(JsonSerializer.Serialize(body, CliJson.Context.VerifyReport));
            }
            else
            {
                Print(leaf, report, time, policy);
            }

            return report.Result.IsValid ? ExitCodes.Success : ExitCodes.AuthenticationRefused;
        });
        return command;
    }

    private static void Print(X509Certificate2 leaf, ChainValidationReport report, DateTimeOffset time, TrustPolicy policy)
    {
        Console.WriteLine($"Certificate: {leaf.Subject}, serial {SerialNumbers.Normalize(leaf.SerialNumber)}");
        Console.WriteLine($"Purpose: {(policy.Purpose == CertificatePurpose.ServerAuthentication ? "server" : "client")} authentication, as of {time:u}");
        var table = Tables.Create("Check", "Result", "Detail");
        foreach (var step in report.Steps)
        {
            var outcome = step.Outcome switch
            {
                ValidationOutcome.Passed => "[green]pass[/]",
                ValidationOutcome.Failed => $"[red]FAIL {step.Reason.ToCode()}[/]",
                _ => "[grey]skip[/]",
            };
            table.AddRow(Tables.Cell(step.Check), outcome, Markup.Escape(MutualAuth.Authentication.LogText.Escape(step.Detail)));
        }

        AnsiConsole.Write(table);
        Console.WriteLine(report.Result.IsValid ? "Accepted." : $"Refused: {report.Result.Code}: {MutualAuth.Authentication.LogText.Escape(report.Result.Detail)}");
    }

    private static string[] Files(string[]? given, string fallback, string error) =>
        given is { Length: > 0 } ? given : File.Exists(fallback) ? [fallback] : throw CliException.Usage(error);

    private static X509Certificate2Collection Load(IEnumerable<string> files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files)
        {
            collection.AddRange(InputFiles.Certificates(file));
        }

        return collection;
    }

    private static CertificatePurpose Purpose(string? given, X509Certificate2 leaf)
    {
        if (given is not null)
        {
            return given == "server" ? CertificatePurpose.ServerAuthentication : CertificatePurpose.ClientAuthentication;
        }

        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToList() ?? [];
        return eku.Contains(Oids.ServerAuth) && !eku.Contains(Oids.ClientAuth) ? CertificatePurpose.ServerAuthentication : CertificatePurpose.ClientAuthentication;
    }

    private static DateTimeOffset Time(string? text) =>
        text is null ? DateTimeOffset.UtcNow
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time
        : throw CliException.Usage($"--at '{text}' is not a time (e.g. 2026-12-01T12:00:00Z).");

    private static SpkiPin ParsePin(string text)
    {
        try
        {
            return SpkiPin.Parse(text);
        }
        catch (FormatException e)
        {
            throw CliException.Usage(e.Message, e);
        }
    }
}

/// <summary>The JSON of <c>verify --json</c>.</summary>
internal sealed record VerifyReport(bool Accepted, string Reason, string Detail, DateTimeOffset At, string Purpose, IReadOnlyList<VerifyStep> Checks);

/// <summary>One check in <c>verify --json</c>.</summary>
internal sealed record VerifyStep(string Check, string Result, string? Reason, string Detail);
