using System.CommandLine;
using MutualAuth.Cli.Commands;

namespace MutualAuth.Cli;

/// <summary>The root command: <c>mutualauth</c>.</summary>
internal static class MutualAuthCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("""
            MutualAuth: a client and a server authenticate each other before any data flows.
            Exit codes: 0 success, 1 authentication refused (either side), 2 usage or configuration error, 3 I/O or store error.
            """);
        root.Options.Add(GlobalOptions.DataDir);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(CallCommand.Create());
        root.Subcommands.Add(CaCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(ClientCommand.Create());
        root.Subcommands.Add(WebAuthnCommand.Create());
        root.Subcommands.Add(CardCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(StoreCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        return root;
    }
}
