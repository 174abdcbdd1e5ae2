namespace MutualAuth.Cli;

/// <summary>Process exit codes (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int AuthenticationRefused = 1;
    public const int Usage = 2;
    public const int Store = 3;
}
