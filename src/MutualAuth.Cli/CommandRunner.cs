using System.CommandLine;
using System.Security.Cryptography;
using MutualAuth.AspNetCore.TrustMaterial;
using MutualAuth.Storage;

namespace MutualAuth.Cli;

/// <summary>Runs a command body and turns failures into a one-line message and an exit code.</summary>
internal static class CommandRunner
{
    public static void SetRunner(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => Run(parseResult, body, cancellationToken));

    public static void SetRunner(this Command command, Func<ParseResult, int> body) =>
        command.SetAction((parseResult, cancellationToken) => Run(parseResult, (p, _) => Task.FromResult(body(p)), cancellationToken));

    private static async Task<int> Run(ParseResult parseResult, Func<ParseResult, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(parseResult, cancellationToken);
        }
        catch (CliException e)
        {
            return Fail(e.ExitCode, e.Message);
        }
        catch (TrustMaterialException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }
        catch (StoreException e)
        {
            return Fail(ExitCodes.Store, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Store, e.Message);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return Fail(ExitCodes.Store, e.Message);
        }
        catch (CryptographicException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (OperationCanceledException e)
        {
            // A timeout no command turned into its own message: still one line and a documented code, never a stack trace.
            return Fail(ExitCodes.Store, "timed out: " + e.Message);
        }
        catch (System.Net.Http.HttpRequestException e)
        {
            return Fail(ExitCodes.Store, e.Message);
        }
    }

    private static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine("error: " + message);
        return exitCode;
    }
}
