using System.Buffers.Text;
using System.CommandLine;
using System.Globalization;
using System.Net;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Cli.Settings;
using MutualAuth.WebAuthn;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth webauthn …</c>: passkeys of users (list, remove) and enrolment links (invite).</summary>
internal static class WebAuthnCommand
{
    public static Command Create()
    {
        var command = new Command("webauthn", "Manage WebAuthn passkeys: enrolment links, and the passkeys users registered on serve's page /webauthn/.") { SharedStore.Option() };
        command.Subcommands.Add(Invite());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    /// <summary>The relying-party policy serve runs with: the origin as configured, else https://localhost:PORT.</summary>
    public static WebAuthnPolicy Policy(string? origin, string? rpId, IPEndPoint listen, LoadedSettings<ServeSettings> loaded)
    {
        var policy = new WebAuthnPolicy { Origin = origin ?? DefaultOrigin(listen.Port), RpId = rpId };
        try
        {
            policy.Validate();
        }
        catch (InvalidOperationException e)
        {
            throw CliException.Usage($"{loaded.Label("WebAuthnOrigin")} / {loaded.Label("WebAuthnRpId")}: {e.Message}");
        }

        return policy;
    }

    private static string DefaultOrigin(int port) => port == 443 ? "https://localhost" : "https://localhost:" + port.ToString(CultureInfo.InvariantCulture);

    private static Argument<string> UserArgument() => new("USER") { Description = "The user name (as it logs in)." };

    private static Command Invite()
    {
        var user = UserArgument();
        var minutes = new Option<int>("--minutes") { Description = "How long the link can be used (once), at most 1440.", DefaultValueFactory = _ => 15, HelpName = "MINUTES" };
        var origin = new Option<string>("--origin") { Description = "The origin serve's page is reached at (its --webauthn-origin).", DefaultValueFactory = _ => DefaultOrigin(8443), HelpName = "ORIGIN" };
        var command = new Command("invite", "Print an enrolment link: whoever opens it first can register a passkey for USER, once, within --minutes. Send it over a channel you trust.") { user, minutes, origin };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(user)!;
            var lifetime = parseResult.GetValue(minutes) is var m and > 0 and <= 1440 ? TimeSpan.FromMinutes(m) : throw CliException.Usage("--minutes must be between 1 and 1440.");
            var originText = parseResult.GetValue(origin)!;
            if (!IsUserName(name))
            {
                throw CliException.Usage($"'{name}' is not a valid user name (1-256 characters, no control characters).");
            }

            if (!WebOrigin.IsSerialised(originText))
            {
                throw CliException.Usage($"--origin '{originText}' must be written as a browser writes an origin: https://host or https://host:port.");
            }

            await using var shared = await SharedStore.OpenAsync(parseResult, GlobalOptions.Folder(parseResult), cancellationToken);
            var id = await WebAuthnInvitations.CreateAsync(shared.WebAuthnChallenges(), name, lifetime, TimeProvider.System, cancellationToken);
            Console.WriteLine($"Enrolment link for '{name}' (single use, valid {lifetime.TotalMinutes:0} minutes):");
            Console.WriteLine($"  {originText}{WebAuthnDefaults.BasePath}/?invite={id}");
            Console.WriteLine("serve needs a route with method webauthn, e.g. --route /whoami=webauthn,mtls.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var user = UserArgument();
        var json = GlobalOptions.Json();
        var command = new Command("list", "List USER's passkeys (credential id, authenticator model, backup flags, use).") { user, json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var shared = await SharedStore.OpenExistingAsync(parseResult, cancellationToken);
            var items = (await shared.WebAuthnCredentials().ListAsync(parseResult.GetValue(user)!, cancellationToken))
                .Select(c => new PasskeyListItem(Base64Url.EncodeToString(c.CredentialId), c.UserName, c.Aaguid, c.AttestationFormat, c.BackupEligible, c.BackedUp, c.SignCount, c.CreatedAt, c.LastUsedAt))
                .ToList();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(items, CliJson.Context.ListPasskeyListItem));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Credential id", "Model (AAGUID)", "Synced (BE/BS)", "Created (UTC)", "Last used (UTC)");
            foreach (var item in items)
            {
                table.AddRow(Tables.Cell(item.CredentialId), Markup.Escape(item.Aaguid.ToString()), $"{(item.BackupEligible ? "yes" : "no")}/{(item.BackedUp ? "yes" : "no")}",
                    item.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), item.LastUsedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var user = UserArgument();
        var id = new Option<string?>("--id") { Description = "Remove only this credential (as 'webauthn list' shows it); by default all of USER's passkeys.", HelpName = "CREDENTIAL-ID" };
        var command = new Command("remove", "Remove USER's passkeys (their sessions end with them).") { user, id };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            byte[]? credentialId = null;
            if (parseResult.GetValue(id) is { } text)
            {
                try
                {
                    credentialId = Base64Url.DecodeFromChars(text);
                }
                catch (FormatException)
                {
                    throw CliException.Usage($"--id '{text}' is not a base64url credential id.");
                }
            }

            var name = parseResult.GetValue(user)!;
            await using var shared = await SharedStore.OpenExistingAsync(parseResult, cancellationToken);
            var removed = await shared.WebAuthnCredentials().RemoveAsync(name, credentialId, cancellationToken);
            if (removed == 0)
            {
                throw CliException.Usage($"'{name}' has no such passkey.");
            }

            Console.WriteLine($"Removed {removed} passkey(s) of '{name}'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsUserName(string name) => name is { Length: > 0 and <= 256 } && !name.Any(char.IsControl);
}

internal sealed record PasskeyListItem(string CredentialId, string User, Guid Aaguid, string AttestationFormat, bool BackupEligible, bool BackedUp, uint SignCount, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
