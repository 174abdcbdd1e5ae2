namespace MutualAuth.Cli;

/// <summary>Ends a command with a one-line message and an exit code.</summary>
internal sealed class CliException(int exitCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message, Exception? inner = null) => new(ExitCodes.Usage, message, inner);

    public static CliException Refused(string message, Exception? inner = null) => new(ExitCodes.AuthenticationRefused, message, inner);

    public static CliException Store(string message, Exception? inner = null) => new(ExitCodes.Store, message, inner);
}
