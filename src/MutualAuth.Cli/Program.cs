using System.CommandLine;
using System.CommandLine.Help;
using MutualAuth.Cli;

var root = MutualAuthCommand.Create();
var parseResult = root.Parse(args);
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
