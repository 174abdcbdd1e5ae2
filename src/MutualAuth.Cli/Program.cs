using System.CommandLine;
using System.CommandLine.Help;
using MutualAuth.Cli;

var root = MutualAuthCommand.Create();
// No response files: "@FILE" is data (call -d @FILE), never more arguments.
var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
{
    foreach (var error in parseResult.Errors)
    {
        await Console.Error.WriteLineAsync("error: " + error.Message);
    }

    await Console.Error.WriteLineAsync("Run 'mutualauth --help' for usage.");
    return ExitCodes.Usage;
}

return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
